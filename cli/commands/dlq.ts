import type { S3Client } from '@aws-sdk/client-s3';
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type Message,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { eventLogObjects, loggedEventOf, writeEventLogObject } from '../../lib/event-log/write-event-log.ts';
import { peekMessages } from '../../runtime/dlq.ts';
import { moveMessages, sendToQueue } from '../../runtime/dlq-move.ts';
import { printJson, printText } from '../output.ts';

/** One dead-letter queue an operator looks after. */
export interface DeadLetterQueue {
  readonly service: string;
  /**
   * `queue`: the redrive DLQ of a service queue or of a unit worker's queue; `rule`: the EventBridge rule target's DLQ; `worker`: where a worker's
   * failed invocations are recorded (the outbox relay's stream batches, a schedule's missed runs); `event-log`: the
   * event-log rule target's DLQ (bus events the Firehose stream did not take; they go back to the event-log bucket).
   */
  readonly kind: 'queue' | 'rule' | 'worker' | 'event-log';
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  /**
   * Where its messages go back to: the service's or unit worker's queue (the rule's target, the redrive policy's source). None for a
   * worker DLQ: it holds failure records, not events.
   */
  readonly targetUrl?: string;
}

/** Why a worker DLQ is not redriven, and what to do instead. */
export const WORKER_DLQ_NOT_REDRIVEN =
  "a worker DLQ holds failure records, not events: read them with `dlq show <worker>`, fix the cause; the outbox relay's sweep republishes what a failed batch left unpublished and a scheduled worker runs again on its schedule, so nothing needs to be sent back";

/** Where the DLQs are: a deployed stage or the offline runtime, through the same SQS calls. */
export interface DlqTarget {
  /** SQS with the message-move API (offline: the runtime's front on the emulator). */
  readonly sqs: SQSClient;
  readonly queues: readonly DeadLetterQueue[];
  /** DLQs this target cannot see, with why (offline: worker DLQs are not provisioned). */
  readonly notCovered: readonly string[];
  /** Where an `event-log` DLQ's events are written back (the stage's event-log bucket). */
  readonly eventLog?: { readonly s3: S3Client; readonly bucket: string };
}

/** `dlq redrive`'s selection: only these messages move; none given, the whole DLQ. */
export interface RedriveSelection {
  /** Event detail-type. */
  readonly type?: string;
  /** Text the error fingerprint (as `dlq show --group-by error` prints it) contains. */
  readonly error?: string;
  readonly max?: number;
}

export interface DlqOptions {
  readonly json: boolean;
  /** `dlq show`: group the messages by error fingerprint or by event type. */
  readonly groupBy?: 'error' | 'type';
  /** `dlq show`: most messages read per DLQ. */
  readonly max?: number;
  readonly service?: string;
  readonly kind?: DeadLetterQueue['kind'];
  readonly progress: (line: string) => void;
  readonly pollMs?: number;
  /** `dlq redrive`: which messages, how fast (messages per second), or only count them. */
  readonly selection?: RedriveSelection;
  readonly rate?: number;
  readonly dryRun?: boolean;
  /** `dlq redrive`: seconds a scanned message stays hidden (default: long enough for the whole scan). */
  readonly holdSeconds?: number;
}

/** Exit codes of `dlq`, as the README documents them. */
export const DLQ_EXIT = { ok: 0, failed: 1, usage: 2, attention: 3 } as const;

async function depth(sqs: SQSClient, queue: DeadLetterQueue): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

function selected(
  target: DlqTarget,
  options: Pick<DlqOptions, 'service' | 'kind'>,
): DeadLetterQueue[] | string {
  const queues = target.queues.filter(
    (queue) =>
      (options.service === undefined || queue.service === options.service) &&
      (options.kind === undefined || queue.kind === options.kind),
  );
  if (queues.length > 0) return queues;
  return `no DLQ of ${options.service ?? 'any service'}${options.kind ? ` (${options.kind})` : ''}; services: ${[...new Set(target.queues.map((queue) => queue.service))].join(', ')}`;
}

/**
 * `dlq list`: every DLQ with its depth. Exit 3 (attention) while any holds a message, so scripts and on-call
 * checks cannot read "listed" as "empty".
 */
export async function listDlqs(target: DlqTarget, options: DlqOptions): Promise<number> {
  const queues = selected(target, options);
  if (typeof queues === 'string') {
    console.error(`dlq: ${queues}`);
    return DLQ_EXIT.usage;
  }
  const rows = await Promise.all(
    queues.map(async (queue) => ({ ...queue, messages: await depth(target.sqs, queue) })),
  );
  const waiting = rows.reduce((sum, row) => sum + row.messages, 0);
  if (options.json) printJson({ waiting, queues: rows, notCovered: target.notCovered });
  else
    printText(
      [
        ...rows.map(
          (row) =>
            `${row.messages > 0 ? '!' : ' '} ${row.service.padEnd(18)} ${`${row.kind} DLQ`.padEnd(10)} ${String(row.messages).padStart(6)}  ${row.name}`,
        ),
        ...target.notCovered.map((line) => `  not covered: ${line}`),
        waiting > 0
          ? `${waiting} message(s) wait in DLQs: read them with \`dlq show <service>\`, fix the cause, then \`dlq redrive <service>\`.`
          : 'Every DLQ is empty.',
      ].join('\n'),
    );
  return waiting > 0 ? DLQ_EXIT.attention : DLQ_EXIT.ok;
}

/** A message's error, with ids, numbers and quoted values taken out so the same failure groups together. */
export function errorFingerprint(attributes: Readonly<Record<string, string>>): string {
  const code = attributes.ERROR_CODE;
  if (!code) return 'no error recorded (a queue DLQ: read the service log for the message id)';
  const message = (attributes.ERROR_MESSAGE ?? '')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/"[^"]*"|'[^']*'/g, '<value>')
    .replace(/\d+/g, '<n>');
  return (message ? `${code}: ${message}` : code).slice(0, 200);
}

export const eventTypeOf = (body: string): string => {
  try {
    return String((JSON.parse(body) as { 'detail-type'?: unknown })['detail-type'] ?? 'not an event');
  } catch {
    return 'not JSON';
  }
};

/**
 * `dlq show`: the parked messages of each selected DLQ (peeked, not consumed): event type, error fingerprint (rule
 * DLQs carry ERROR_CODE/ERROR_MESSAGE), receive count, age, and the body's start (card numbers masked by the output);
 * `--group-by error|type` counts them per group instead.
 */
export async function showDlqs(target: DlqTarget, options: DlqOptions): Promise<number> {
  const queues = selected(target, options);
  if (typeof queues === 'string') {
    console.error(`dlq: ${queues}`);
    return DLQ_EXIT.usage;
  }
  const now = Date.now();
  const shown = [];
  for (const queue of queues) {
    const messages = (await peekMessages(target.sqs, queue.url, options.max ?? 100)).map((message) => ({
      messageId: message.messageId,
      type: eventTypeOf(message.body),
      error: errorFingerprint(message.messageAttributes),
      receives: Number(message.attributes.ApproximateReceiveCount ?? 0),
      ageSeconds: Math.max(0, Math.round((now - Number(message.attributes.SentTimestamp ?? now)) / 1000)),
      sample: message.body.slice(0, 200),
    }));
    const groups = new Map<string, number>();
    if (options.groupBy)
      for (const message of messages) {
        const key = message[options.groupBy];
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
    shown.push({
      service: queue.service,
      kind: queue.kind,
      name: queue.name,
      ...(options.groupBy
        ? {
            groups: [...groups].map(([key, count]) => ({
              [options.groupBy as string]: key,
              messages: count,
            })),
          }
        : { messages }),
    });
  }
  if (options.json) printJson({ queues: shown });
  else
    printText(
      shown
        .map((queue) =>
          [
            `${queue.service} ${queue.kind} DLQ (${queue.name}):`,
            ...('groups' in queue
              ? (queue.groups ?? []).map(
                  (group) => `  ${String(group.messages).padStart(5)}  ${String(Object.values(group)[0])}`,
                )
              : (queue.messages ?? []).map(
                  (message) =>
                    `  ${message.messageId} ${message.type} receives=${message.receives} age=${message.ageSeconds}s ${message.error}\n    ${message.sample}`,
                )),
          ].join('\n'),
        )
        .join('\n'),
    );
  return DLQ_EXIT.ok;
}

/**
 * `dlq redrive`: a whole queue DLQ with StartMessageMoveTask back to its source queue, followed with
 * ListMessageMoveTasks; a selection (`--type`, `--error`, `--max`), a dry run, and rule-target DLQs (whose messages
 * no redrive policy names a source for) by `moveMessages`, which deletes a message only after its copy was accepted.
 * Exit 0 done, 1 a move failed, 2 usage, 3 a selective scan could not see every message (run it again).
 */
export async function redriveDlqs(target: DlqTarget, options: DlqOptions): Promise<number> {
  const queues = selected(target, options);
  if (typeof queues === 'string') {
    console.error(`dlq: ${queues}`);
    return DLQ_EXIT.usage;
  }
  const selection = options.selection ?? {};
  const selective =
    options.dryRun === true ||
    selection.type !== undefined ||
    selection.error !== undefined ||
    selection.max !== undefined;
  const results: RedriveResult[] = [];
  for (const queue of queues) {
    if ((await depth(target.sqs, queue)) === 0) continue;
    if (queue.kind === 'worker' || (queue.targetUrl === undefined && queue.kind !== 'event-log')) {
      results.push({
        service: queue.service,
        kind: queue.kind,
        moved: 0,
        status: 'NOT_REDRIVEN',
        reason: WORKER_DLQ_NOT_REDRIVEN,
      });
      continue;
    }
    results.push(
      selective || queue.kind === 'rule' || queue.kind === 'event-log'
        ? await redriveSelected(target, queue, options, selection)
        : await redriveWithMoveTask(target, queue, options),
    );
  }
  const failed = results.filter((result) => result.status === 'FAILED' || result.status === 'NOT_REDRIVEN');
  const partial = results.filter((result) => result.status === 'PARTIAL');
  if (options.json) printJson({ dryRun: options.dryRun === true, results });
  else
    printText(
      results.length === 0
        ? 'Nothing to redrive: the selected DLQs are empty.'
        : results.map(describeResult(options.dryRun === true)).join('\n'),
    );
  if (failed.length > 0) return DLQ_EXIT.failed;
  return partial.length > 0 ? DLQ_EXIT.attention : DLQ_EXIT.ok;
}

interface RedriveResult {
  readonly service: string;
  readonly kind: DeadLetterQueue['kind'];
  readonly moved: number;
  /** COMPLETED; PARTIAL: the scan may have missed messages; FAILED; or the move task's own status. */
  readonly status: string;
  readonly left?: number;
  readonly copiesLeft?: number;
  readonly reason?: string;
  /** Per event type and error fingerprint, what moved (a dry run: would move). */
  readonly selected?: readonly { type: string; error: string; messages: number }[];
}

const describeResult =
  (dryRun: boolean) =>
  (result: RedriveResult): string =>
    [
      `${result.service} ${result.kind} DLQ: ${result.status}, ${result.moved} ${dryRun ? 'would move' : 'moved'}` +
        (result.left ? `, ${result.left} left in the DLQ` : '') +
        (result.copiesLeft
          ? `, ${result.copiesLeft} delivered but still in the DLQ (a redelivery the consumer absorbs)`
          : '') +
        (result.reason ? ` (${result.reason})` : ''),
      ...(result.selected ?? []).map(
        (group) => `  ${String(group.messages).padStart(5)}  ${group.type}  ${group.error}`,
      ),
      ...(result.status === 'PARTIAL'
        ? ['  The scan met messages again before the DLQ ran dry: run the same redrive again for the rest.']
        : []),
    ].join('\n');

async function redriveSelected(
  target: DlqTarget,
  queue: DeadLetterQueue,
  options: DlqOptions,
  selection: RedriveSelection,
): Promise<RedriveResult> {
  const groups = new Map<string, { type: string; error: string; messages: number }>();
  const describe = (message: Message) => ({
    type: eventTypeOf(message.Body ?? ''),
    error: errorFingerprint(flatAttributes(message)),
  });
  try {
    const outcome = await moveMessages(target.sqs, {
      fromUrl: queue.url,
      deliver: deliveryOf(target, queue),
      select: (message) => {
        const { type, error } = describe(message);
        return (
          (selection.type === undefined || type === selection.type) &&
          (selection.error === undefined || error.includes(selection.error))
        );
      },
      ...(selection.max === undefined ? {} : { max: selection.max }),
      ...(options.rate === undefined ? {} : { perSecond: options.rate }),
      ...(options.holdSeconds === undefined ? {} : { holdSeconds: options.holdSeconds }),
      dryRun: options.dryRun === true,
      onMoved: (message, moved) => {
        const { type, error } = describe(message);
        const key = `${type}\u0000${error}`;
        groups.set(key, { type, error, messages: (groups.get(key)?.messages ?? 0) + 1 });
        if (!options.dryRun) options.progress(`${queue.name}: ${moved} moved`);
      },
    });
    return {
      service: queue.service,
      kind: queue.kind,
      moved: outcome.moved,
      status: outcome.complete ? 'COMPLETED' : 'PARTIAL',
      left: outcome.left,
      copiesLeft: outcome.copiesLeft,
      selected: [...groups.values()],
    };
  } catch (error) {
    return {
      service: queue.service,
      kind: queue.kind,
      moved: [...groups.values()].reduce((sum, group) => sum + group.messages, 0),
      status: 'FAILED',
      reason: `${(error as Error).message}; what moved stays moved, the rest waits in the DLQ: run the redrive again`,
    };
  }
}

/** Where a DLQ's messages go back to: its queue, or (event-log DLQs) a new object of the event log. */
function deliveryOf(target: DlqTarget, queue: DeadLetterQueue): (message: Message) => Promise<void> {
  if (queue.kind === 'event-log') {
    const eventLog =
      target.eventLog ??
      fail(`no event-log bucket is known for ${queue.name}: redeploy the stage with this version`);
    return async (message) => {
      const [object] = eventLogObjects([loggedEventOf(message.Body ?? '')]);
      if (object) await writeEventLogObject(eventLog.s3, eventLog.bucket, object);
    };
  }
  return sendToQueue(target.sqs, queue.targetUrl ?? fail(`${queue.name} has no queue to go back to`));
}

function fail(message: string): never {
  throw new Error(message);
}

async function redriveWithMoveTask(
  target: DlqTarget,
  queue: DeadLetterQueue,
  options: DlqOptions,
): Promise<RedriveResult> {
  await target.sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: queue.arn,
      ...(options.rate === undefined ? {} : { MaxNumberOfMessagesPerSecond: options.rate }),
    }),
  );
  for (;;) {
    const { Results = [] } = await target.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: queue.arn, MaxResults: 1 }),
    );
    const task = Results[0];
    options.progress(
      `${queue.name}: ${task?.Status ?? 'UNKNOWN'} ${task?.ApproximateNumberOfMessagesMoved ?? 0}/${task?.ApproximateNumberOfMessagesToMove ?? '?'} moved`,
    );
    if (task && task.Status !== 'RUNNING' && task.Status !== 'CANCELLING')
      return {
        service: queue.service,
        kind: queue.kind,
        moved: task.ApproximateNumberOfMessagesMoved ?? 0,
        status: task.Status ?? 'UNKNOWN',
        ...(task.FailureReason ? { reason: task.FailureReason } : {}),
      };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}

function flatAttributes(message: Message): Record<string, string> {
  return Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? '']),
  );
}
