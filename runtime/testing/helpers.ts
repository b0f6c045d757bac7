import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { topology } from '../../topology/topology.ts';
import { type LocalClients, localClients } from '../clients.ts';
import { type Emulators, type SharedDynamoDb, startEmulators } from '../emulators.ts';
import type { RuntimeLogger } from '../logger.ts';
import { type ProvisionedResources, provision } from '../provision.ts';

/** Emulators with the topology provisioned, for suites that test one runtime part at a time. */
export interface TestStack {
  readonly emulators: Emulators;
  readonly resources: ProvisionedResources;
  readonly clients: LocalClients;
  stop(): Promise<void>;
}

/** The test run's shared DynamoDB Local (test/shared-dynamodb.global-setup.ts, via test/setup-env.ts), if any. */
export function sharedDynamoDb(): SharedDynamoDb | undefined {
  const shared = process.env.FINLEDGER_TEST_SHARED_DYNAMODB;
  return shared ? (JSON.parse(shared) as SharedDynamoDb) : undefined;
}

/**
 * Start in-memory (or `stateDir`-backed) emulators on free ports and provision the topology on them. In memory,
 * tables live on the run's shared DynamoDB Local under a prefix of their own.
 */
export async function startTestStack(
  options: { stateDir?: string; stage?: string } = {},
): Promise<TestStack> {
  const emulators = await startEmulators({ stateDir: options.stateDir, sharedDynamoDb: sharedDynamoDb() });
  try {
    const resources = await provision(topology, options.stage ?? 'test', emulators.endpoints, {
      tablePrefix: emulators.tablePrefix,
    });
    const clients = localClients(emulators.endpoints, emulators.region);
    return {
      emulators,
      resources,
      clients,
      async stop() {
        clients.destroy();
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}

/** A logger that keeps entries for assertions. */
export function recordingLogger(): RuntimeLogger & {
  entries: { level: string; message: string; data?: unknown }[];
} {
  const entries: { level: string; message: string; data?: unknown }[] = [];
  const record = (level: string) => (message: string, data?: Record<string, unknown>) => {
    entries.push({ level, message, data });
  };
  return { entries, info: record('info'), warn: record('warn'), error: record('error') };
}

/** Receive everything currently visible in a queue (and hide it for a minute), without deleting. */
export async function drainVisible(sqs: SQSClient, url: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
  }
}

/** Poll `check` until it returns true, or fail naming `what`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
}

/** Whether any process of this process group is alive (DynamoDB Local's pid is its group id). */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
