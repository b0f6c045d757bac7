import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { type FauxqsHost, startFauxqsWorker } from './fauxqs-host.ts';
import { dropTablesNamed } from './shared-dynamodb.ts';

/** Where each emulated AWS service listens. fauxqs serves SQS and S3 on one port. */
export interface EmulatorEndpoints {
  readonly dynamodb: string;
  readonly sqs: string;
  readonly s3: string;
}

export interface EmulatorOptions {
  /** Folder for persistent state (`dynamodb/`, `fauxqs/`, `s3/`); omit to keep everything in memory. */
  readonly stateDir?: string;
  /** Fixed ports; omitted ones are picked free. */
  readonly ports?: { readonly dynamodb?: number; readonly fauxqs?: number };
  readonly region?: string;
  /**
   * Use this already-running in-memory DynamoDB Local instead of starting one (the test run shares one JVM, see
   * vitest.config.ts). Tables then get a prefix of their own and are dropped on stop; ignored with `stateDir`.
   */
  readonly sharedDynamoDb?: SharedDynamoDb;
}

/** A DynamoDB Local other runtimes use too: neither started nor stopped by the runtime that borrows it. */
export interface SharedDynamoDb {
  readonly endpoint: string;
  readonly pid: number;
}

/** The running emulators. */
export interface Emulators {
  readonly endpoints: EmulatorEndpoints;
  readonly region: string;
  /**
   * fauxqs on a worker thread of this process (its own event loop: handlers' synchronous work does not stall
   * uploads), reporting every upload for the S3 → EventBridge bridge.
   */
  readonly fauxqs: FauxqsHost;
  /** Pid (and process group) of the DynamoDB Local JVM. */
  readonly dynamodbPid: number;
  /** Prepended to every table name: '' on an own DynamoDB Local, unique per runtime on a shared one. */
  readonly tablePrefix: string;
  /**
   * Stop fauxqs (and its thread) and the JVM (its whole process group). Rejects when fauxqs' thread had died.
   * Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Start DynamoDB Local and fauxqs side by side.
 * @example const emulators = await startEmulators({ stateDir: '.finledger/state' });
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const region = options.region ?? 'us-east-1';
  const dirs = options.stateDir ? await stateDirs(options.stateDir) : undefined;
  const shared = dirs ? undefined : options.sharedDynamoDb;
  const [dynamo, faux] = await Promise.allSettled([
    shared
      ? borrowDynamoDb(shared, region)
      : startDynamoDbLocal({ dbPath: dirs?.dynamodb, port: options.ports?.dynamodb, region }),
    startFauxqsWorker({
      port: options.ports?.fauxqs ?? 0,
      logger: false,
      defaultRegion: region,
      dataDir: dirs?.fauxqs,
      s3StorageDir: dirs?.s3,
      // The spy is what reports uploads to the bridge (fauxqs-worker.ts).
      messageSpies: { bufferSize: 1000 },
    }),
  ]);
  if (dynamo.status === 'rejected' || faux.status === 'rejected') {
    // Never leave one emulator running when the other failed.
    if (dynamo.status === 'fulfilled') await dynamo.value.stop();
    if (faux.status === 'fulfilled') await faux.value.stop();
    throw dynamo.status === 'rejected' ? dynamo.reason : (faux as PromiseRejectedResult).reason;
  }
  return compose(dynamo.value, faux.value, region);
}

/** The shared JVM as this runtime's DynamoDB Local: its own table prefix, and stop() drops only those tables. */
async function borrowDynamoDb(
  shared: SharedDynamoDb,
  region: string,
): Promise<DynamoDbLocal & { tablePrefix: string }> {
  const tablePrefix = `t${process.pid}-${randomUUID().slice(0, 8)}-`;
  return {
    endpoint: shared.endpoint,
    pid: shared.pid,
    tablePrefix,
    stop: () => dropTablesNamed(shared.endpoint, region, tablePrefix),
  };
}

function compose(
  dynamo: DynamoDbLocal & { tablePrefix?: string },
  faux: FauxqsHost,
  region: string,
): Emulators {
  // fauxqs listens on 0.0.0.0 and reports that address; clients should use loopback.
  const fauxqsEndpoint = `http://127.0.0.1:${faux.port}`;
  let stopping: Promise<void> | undefined;
  return {
    endpoints: { dynamodb: dynamo.endpoint, sqs: fauxqsEndpoint, s3: fauxqsEndpoint },
    region,
    fauxqs: faux,
    dynamodbPid: dynamo.pid,
    tablePrefix: dynamo.tablePrefix ?? '',
    stop() {
      stopping ??= Promise.allSettled([faux.stop(), dynamo.stop()]).then((results) => {
        const failed = results.find((result) => result.status === 'rejected');
        if (failed) throw failed.reason;
      });
      return stopping;
    },
  };
}

async function stateDirs(stateDir: string): Promise<{ dynamodb: string; fauxqs: string; s3: string }> {
  const dirs = {
    dynamodb: join(stateDir, 'dynamodb'),
    fauxqs: join(stateDir, 'fauxqs'),
    s3: join(stateDir, 's3'),
  };
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true })));
  return dirs;
}
