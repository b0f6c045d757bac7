import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describeError, type RuntimeLogger } from './logger.ts';

/** One received SQS message a poller is handling. */
export interface InflightEntry {
  readonly queueUrl: string;
  readonly receiptHandle: string;
  readonly messageId: string;
}

/** Batches a poller has received and not yet settled, mirrored to one file so a crash leaves them behind. */
export interface InflightJournal {
  /** List a batch; resolves once the file on disk names it. Returns the id to `clear` it with. */
  record(entries: readonly InflightEntry[]): Promise<number>;
  /** Drop a settled batch (deleted, or its visibility changed); removes the file when nothing is left. */
  clear(batch: number): Promise<void>;
}

/** Release outcome: messages made visible, and handles no longer in flight (settled or expired). */
export interface ReleaseReport {
  readonly journals: number;
  readonly released: number;
  readonly alreadyGone: number;
  readonly failed: number;
}

/** The journal folder inside a runtime state folder. */
export function inflightDir(stateDir: string): string {
  return join(stateDir, 'inflight');
}

/**
 * A journal at `<dir>/<functionName>.json`, rewritten whole (temp file + rename) on every change, so a
 * reader sees the old list or the new one, never half a file. No fsync: it guards against the process
 * dying (SIGKILL keeps the page cache), not the machine, like fauxqs's own SQLite state.
 * @example
 * const batch = await journal.record(entries); try { await handle(); } finally { await journal.clear(batch); }
 */
export function createInflightJournal(dir: string, functionName: string): InflightJournal {
  const file = join(dir, `${functionName}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  const batches = new Map<number, readonly InflightEntry[]>();
  let nextBatch = 0;
  let dirReady: Promise<unknown> | undefined;
  // Writes run one at a time, each writing the batches as they are when it starts.
  let queue: Promise<void> = Promise.resolve();
  const persist = async () => {
    dirReady ??= mkdir(dir, { recursive: true });
    await dirReady;
    if (batches.size === 0) return rm(file, { force: true });
    await writeFile(temp, JSON.stringify([...batches.values()].flat()));
    await rename(temp, file);
  };
  const flush = () => {
    const write = queue.then(persist);
    queue = write.catch(() => {});
    return write;
  };
  return {
    async record(entries) {
      const batch = nextBatch++;
      batches.set(batch, entries);
      await flush();
      return batch;
    },
    async clear(batch) {
      if (batches.delete(batch)) await flush();
    },
  };
}

/**
 * Make every message a previous run left in flight visible again (within a second), then delete the journals.
 * Offline only one runtime uses a state folder, so whatever its journals name was received by a process
 * that died: without this the messages stay invisible for the queue's visibility timeout (6× the function
 * timeout, up to an hour), as SQS would in AWS, and `waitForIdle` times out meanwhile.
 * Handles that are no longer in flight (deleted, or the timeout already ran out) are skipped.
 * @param queueUrls Current queue URLs, matched by queue name, so a restart on other ports still works.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
 */
export async function releaseInflight(options: {
  readonly sqs: SQSClient;
  readonly stateDir: string;
  readonly queueUrls?: readonly string[];
  readonly logger: RuntimeLogger;
}): Promise<ReleaseReport> {
  const dir = inflightDir(options.stateDir);
  const { files, entries } = await readJournals(dir, options.logger);
  const report = {
    journals: files.filter((name) => name.endsWith('.json')).length,
    released: 0,
    alreadyGone: 0,
    failed: 0,
  };
  if (files.length === 0) return report;
  const byQueue = new Map<string, InflightEntry[]>();
  for (const entry of entries) {
    const url = currentUrl(entry.queueUrl, options.queueUrls ?? []);
    byQueue.set(url, [...(byQueue.get(url) ?? []), entry]);
  }
  for (const [queueUrl, queued] of byQueue) {
    for (let start = 0; start < queued.length; start += 10) {
      const outcome = await makeVisible(
        options.sqs,
        queueUrl,
        queued.slice(start, start + 10),
        options.logger,
      );
      report.released += outcome.released;
      report.alreadyGone += outcome.alreadyGone;
      report.failed += outcome.failed;
    }
  }
  await Promise.all(files.map((name) => rm(join(dir, name), { force: true })));
  options.logger.info('released messages left in flight by a previous run', report);
  return report;
}

async function readJournals(
  dir: string,
  logger: RuntimeLogger,
): Promise<{ files: string[]; entries: InflightEntry[] }> {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], entries: [] };
    throw error;
  }
  const entries: InflightEntry[] = [];
  // Temp files are half-written journals of a crashed write; the renamed file before them is whole.
  for (const name of files.filter((candidate) => candidate.endsWith('.json'))) {
    try {
      const parsed: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
      if (!Array.isArray(parsed)) throw new Error('not a list');
      entries.push(...parsed.filter(isEntry));
    } catch (error) {
      logger.warn(
        'ignoring an unreadable in-flight journal; its messages return after their visibility timeout',
        {
          journal: join(dir, name),
          ...describeError(error),
        },
      );
    }
  }
  return { files, entries };
}

async function makeVisible(
  sqs: SQSClient,
  queueUrl: string,
  entries: readonly InflightEntry[],
  logger: RuntimeLogger,
): Promise<{ released: number; alreadyGone: number; failed: number }> {
  try {
    const output = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.map((entry, index) => ({
          Id: String(index),
          ReceiptHandle: entry.receiptHandle,
          VisibilityTimeout: RELEASE_VISIBILITY_SECONDS,
        })),
      }),
    );
    const failures = output.Failed ?? [];
    const gone = failures.filter((failure) => GONE_CODES.has(failure.Code ?? ''));
    if (gone.length < failures.length) {
      logger.warn('could not release some in-flight messages; they return after their visibility timeout', {
        queueUrl,
        failures: failures.map((failure) => failure.Message ?? failure.Code),
      });
    }
    return {
      released: output.Successful?.length ?? 0,
      alreadyGone: gone.length,
      failed: failures.length - gone.length,
    };
  } catch (error) {
    logger.warn('could not release in-flight messages; they return after their visibility timeout', {
      queueUrl,
      ...describeError(error),
    });
    return { released: 0, alreadyGone: 0, failed: entries.length };
  }
}

/**
 * 1, not 0: fauxqs 2.4.1 with a data folder fails `VisibilityTimeout: 0` (its "ready" update writes NULL
 * into the NOT NULL receive count, after it has already dropped the message from flight), so the message
 * would vanish until the next restart. A non-zero timeout takes the path that persists cleanly, and the
 * message is visible a second later. fauxqs does keep receipt handles across restarts (persistence.js
 * reloads `receipt_handle` into its in-flight map), so the dead run's handles are valid here.
 */
const RELEASE_VISIBILITY_SECONDS = 1;

/** A handle that is no longer in flight: its message was deleted or its visibility timeout ran out. */
const GONE_CODES = new Set(['ReceiptHandleIsInvalid', 'MessageNotInflight']);

function currentUrl(recorded: string, current: readonly string[]): string {
  const name = queueName(recorded);
  return current.find((url) => queueName(url) === name) ?? recorded;
}

function queueName(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

function isEntry(value: unknown): value is InflightEntry {
  const entry = value as Partial<Record<keyof InflightEntry, unknown>> | null;
  return (
    typeof entry?.queueUrl === 'string' &&
    typeof entry.receiptHandle === 'string' &&
    typeof entry.messageId === 'string'
  );
}
