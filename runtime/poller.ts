import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { InflightJournal } from './inflight-journal.ts';
import { failedMessageIds, lambdaContext, type SqsHandler, toSqsRecord } from './lambda-shapes.ts';
import { consoleLogger, describeError, type RuntimeLogger } from './logger.ts';

export type { SqsHandler } from './lambda-shapes.ts';

export interface PollerOptions {
  /** Function name the handler sees in its context (and in logs). */
  readonly functionName: string;
  readonly sqs: SQSClient;
  readonly queue: { readonly url: string; readonly arn: string };
  readonly region: string;
  readonly handler: SqsHandler;
  /** Records per invocation; SQS returns at most 10 per receive, so larger values are capped at 10. */
  readonly batchSize: number;
  /** The function timeout: the context counts down from it and a longer run fails the batch. */
  readonly timeoutSeconds: number;
  readonly memoryMb?: number;
  /**
   * Local acceleration only: set failed messages visible again after this many seconds instead of the
   * queue's visibility timeout (6× the function timeout, i.e. minutes). AWS has no such setting.
   */
  readonly retryDelaySeconds?: number;
  /** Long-poll wait per receive; also bounds how long `stop()` waits for an idle poller. */
  readonly waitTimeSeconds?: number;
  /** Concurrent receive/invoke loops (Lambda scales pollers; one is the deterministic default). */
  readonly concurrency?: number;
  /**
   * Deep-freeze the event before the handler sees it, so code that mutates its input throws in tests
   * (a Powertools idempotency bug once keyed a record under a mutated payload). Lambda does not freeze.
   */
  readonly freezeEvent?: boolean;
  /**
   * Offline crash recovery: each batch is listed here before the handler runs and dropped once settled,
   * so the next runtime on the same state folder can release what a killed process left in flight.
   */
  readonly journal?: InflightJournal;
  /**
   * The queue's visibility timeout. With a journal, messages are received hidden for only
   * `RECEIVE_HOLD_SECONDS` and hidden for this long once the journal names them (see `receive`).
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Called once a batch is settled (deleted or released). The runtime kicks its stream workers here: in AWS the
   * outbox relay runs on the table's stream as soon as a handler commits, not on a timer.
   */
  readonly onBatchSettled?: () => void;
  readonly logger?: RuntimeLogger;
}

/** A running SQS event-source poller. */
export interface Poller {
  readonly functionName: string;
  /** Batches currently being handled (received but not yet deleted or released). */
  inFlight(): number;
  stats(): PollerStats;
  /** Stop receiving; resolves once in-flight batches are finished. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PollerStats {
  readonly batches: number;
  readonly succeeded: number;
  readonly failed: number;
}

/**
 * A Lambda-style SQS event source: long-poll, invoke the handler with a real-shaped SQSEvent, delete
 * what succeeded and leave the rest to come back after its visibility timeout. SQS itself (fauxqs) moves
 * a message to the DLQ once it has been received `maxReceiveCount` times.
 * Primary course per batch:
 * 1. ReceiveMessage (up to batchSize, all attributes).
 * 2. Invoke the handler with the event and a counting-down context.
 * 3. Work out failures: a throw or timeout fails all, `batchItemFailures` fails those listed.
 * 4. Delete the successes; optionally shorten the failures' visibility (`retryDelaySeconds`).
 * With a `journal`, the batch is listed there before step 2 and dropped after step 4.
 * Assumes `ReportBatchItemFailures` is on, as every finledger event source mapping sets it (STYLE 4).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export function startPoller(options: PollerOptions): Poller {
  const logger = options.logger ?? consoleLogger;
  let running = true;
  let inFlight = 0;
  const stats = { batches: 0, succeeded: 0, failed: 0 };

  const loop = async () => {
    while (running) {
      let messages: Message[];
      try {
        messages = await receive(options);
      } catch (error) {
        if (!running) break;
        logger.error('receive failed; retrying', { function: options.functionName, ...describeError(error) });
        await sleep(500);
        continue;
      }
      if (messages.length === 0) continue;
      // Messages already received are in flight: finish them even when stop() was called meanwhile.
      inFlight++;
      const batch = await journalRecord(options, messages, logger);
      await holdForInvocation(options, messages, logger);
      try {
        const failed = await invoke(options, messages, logger);
        stats.batches++;
        stats.failed += failed;
        stats.succeeded += messages.length - failed;
      } finally {
        if (batch !== undefined) await journalClear(options, batch, logger);
        inFlight--;
        options.onBatchSettled?.();
      }
    }
  };
  const loops = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => loop());

  let stopping: Promise<void> | undefined;
  return {
    functionName: options.functionName,
    inFlight: () => inFlight,
    stats: () => ({ ...stats }),
    stop() {
      running = false;
      stopping ??= Promise.all(loops).then(() => {});
      return stopping;
    },
  };
}

/** List the batch in the journal; a failed write only costs the fast recovery, so the batch runs anyway. */
async function journalRecord(
  options: PollerOptions,
  messages: readonly Message[],
  logger: RuntimeLogger,
): Promise<number | undefined> {
  if (!options.journal) return undefined;
  try {
    return await options.journal.record(
      messages.map((message) => ({
        queueUrl: options.queue.url,
        receiptHandle: message.ReceiptHandle ?? '',
        messageId: message.MessageId ?? '',
      })),
    );
  } catch (error) {
    logger.warn('could not journal an in-flight batch; after a crash it waits out its visibility timeout', {
      function: options.functionName,
      ...describeError(error),
    });
    return undefined;
  }
}

async function journalClear(options: PollerOptions, batch: number, logger: RuntimeLogger): Promise<void> {
  try {
    await options.journal?.clear(batch);
  } catch (error) {
    // A stale entry is harmless: releasing a settled handle at the next start is a no-op.
    logger.warn('could not clear a settled batch from the in-flight journal', {
      function: options.functionName,
      ...describeError(error),
    });
  }
}

/**
 * How long a received message stays hidden before the journal names it. A process killed between the
 * receive and the journal write leaves a message no journal mentions: it comes back after this hold, not
 * after the queue's visibility timeout (6× the function timeout, up to 90 minutes). Long enough for one
 * journal write on a loaded machine; `holdForInvocation` then hides it for the whole visibility timeout.
 */
export const RECEIVE_HOLD_SECONDS = 10;

async function receive(options: PollerOptions): Promise<Message[]> {
  const output = await options.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.queue.url,
      MaxNumberOfMessages: Math.min(10, Math.max(1, options.batchSize)),
      ...(options.journal && options.visibilityTimeoutSeconds !== undefined
        ? { VisibilityTimeout: RECEIVE_HOLD_SECONDS }
        : {}),
      WaitTimeSeconds: options.waitTimeSeconds ?? 1,
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return output.Messages ?? [];
}

/**
 * Journaled messages: hide them for the queue's visibility timeout, as Lambda's event source would from the
 * receive. A failure here only shortens the hold: the message may come back while the handler runs, and its
 * idempotency record then holds the second delivery off.
 */
async function holdForInvocation(
  options: PollerOptions,
  messages: readonly Message[],
  logger: RuntimeLogger,
): Promise<void> {
  if (!options.journal || options.visibilityTimeoutSeconds === undefined) return;
  try {
    const output = await options.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: options.queue.url,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
          VisibilityTimeout: options.visibilityTimeoutSeconds,
        })),
      }),
    );
    if (output.Failed?.length)
      throw new Error(output.Failed.map((failure) => failure.Message ?? failure.Code).join('; '));
  } catch (error) {
    logger.warn('could not hide received messages for the visibility timeout; they may be delivered twice', {
      function: options.functionName,
      ...describeError(error),
    });
  }
}

/** Invoke the handler for one batch and settle the messages; returns how many failed. */
async function invoke(options: PollerOptions, messages: Message[], logger: RuntimeLogger): Promise<number> {
  const records = messages.map((message) => toSqsRecord(message, options.queue, options.region));
  const event: SQSEvent = options.freezeEvent
    ? deepFreeze({ Records: structuredClone(records) })
    : { Records: records };
  const context = lambdaContext({
    functionName: options.functionName,
    timeoutSeconds: options.timeoutSeconds,
    memoryMb: options.memoryMb ?? 128,
    region: options.region,
  });
  let outcome: { threw: true } | { threw: false; result: unknown };
  try {
    outcome = {
      threw: false,
      result: await withTimeout(options.handler(event, context), options.timeoutSeconds),
    };
  } catch (error) {
    // Log and keep polling: a failing handler must never take the runtime down.
    logger.error('handler failed; the whole batch will be retried', {
      function: options.functionName,
      messageIds: records.map((record) => record.messageId),
      ...describeError(error),
    });
    outcome = { threw: true };
  }
  const failedIds = failedMessageIds(records, outcome);
  if (!outcome.threw && failedIds.size > 0) {
    logger.warn('handler reported failed records; they will be retried', {
      function: options.functionName,
      messageIds: [...failedIds],
    });
  }
  const succeeded = records.filter((record) => !failedIds.has(record.messageId));
  const failed = records.filter((record) => failedIds.has(record.messageId));
  await deleteRecords(options, succeeded, logger);
  if (options.retryDelaySeconds !== undefined)
    await delayRetry(options, failed, options.retryDelaySeconds, logger);
  return failed.length;
}

async function deleteRecords(
  options: PollerOptions,
  records: SQSRecord[],
  logger: RuntimeLogger,
): Promise<void> {
  if (records.length === 0) return;
  const output = await options.sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: options.queue.url,
      Entries: records.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
    }),
  );
  if (output.Failed?.length) {
    // Typically an expired receipt handle (the handler outran the visibility timeout): SQS will redeliver.
    logger.warn('could not delete processed messages; they will be delivered again', {
      function: options.functionName,
      failures: output.Failed.map((failure) => failure.Message ?? failure.Code),
    });
  }
}

async function delayRetry(
  options: PollerOptions,
  records: SQSRecord[],
  seconds: number,
  logger: RuntimeLogger,
) {
  if (records.length === 0) return;
  try {
    await options.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: options.queue.url,
        Entries: records.map((record, index) => ({
          Id: String(index),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: seconds,
        })),
      }),
    );
  } catch (error) {
    logger.warn('could not shorten the retry delay; failed messages return after the visibility timeout', {
      function: options.functionName,
      ...describeError(error),
    });
  }
}

async function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Task timed out after ${seconds} seconds`)), seconds * 1000);
  });
  try {
    // Like Lambda, a timeout fails the batch; unlike Lambda, the handler cannot be killed and runs on.
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
