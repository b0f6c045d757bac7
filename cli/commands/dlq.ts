import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { peekMessages } from '../../runtime/dlq.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { printJson, printText } from '../output.ts';

/** One dead-letter queue an operator looks after. */
export interface DeadLetterQueue {
  readonly service: string;
  /** `queue`: the service queue's redrive DLQ; `rule`: the EventBridge rule target's DLQ. */
  readonly kind: 'queue' | 'rule';
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

/** Where the DLQs are: a deployed stage or the offline runtime, through the same SQS calls. */
export interface DlqTarget {
  /** SQS with the message-move API (offline: the runtime's front on the emulator). */
  readonly sqs: SQSClient;
  readonly queues: readonly DeadLetterQueue[];
  /** DLQs this target cannot see, with why (offline: worker DLQs are not provisioned). */
  readonly notCovered: readonly string[];
  /**
   * Redrive a rule-target DLQ: StartMessageMoveTask cannot (its messages carry RULE_ARN/TARGET_ARN, not a source
   * queue), so it is receive → send to the rule's target → delete, deleting only after the send was accepted.
   */
  redriveRuleDlq(service: string): Promise<{ moved: number }>;
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
            `${row.messages > 0 ? '!' : ' '} ${row.service.padEnd(18)} ${row.kind === 'queue' ? 'queue DLQ' : 'rule DLQ '} ${String(row.messages).padStart(6)}  ${row.name}`,
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
  return `${code}: ${message}`.slice(0, 200);
}

const eventTypeOf = (body: string): string => {
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
 * `dlq redrive`: queue DLQs with StartMessageMoveTask back to their source queue, followed with
 * ListMessageMoveTasks until it ends; rule-target DLQs by the target's own kill-safe redrive.
 */
export async function redriveDlqs(target: DlqTarget, options: DlqOptions): Promise<number> {
  const queues = selected(target, options);
  if (typeof queues === 'string') {
    console.error(`dlq: ${queues}`);
    return DLQ_EXIT.usage;
  }
  const results: { service: string; kind: string; moved: number; status: string; reason?: string }[] = [];
  for (const queue of queues) {
    if ((await depth(target.sqs, queue)) === 0) continue;
    if (queue.kind === 'rule') {
      const { moved } = await target.redriveRuleDlq(queue.service);
      results.push({ service: queue.service, kind: queue.kind, moved, status: 'COMPLETED' });
      options.progress(`${queue.name}: ${moved} message(s) back to their rule's target`);
      continue;
    }
    await target.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queue.arn }));
    for (;;) {
      const { Results = [] } = await target.sqs.send(
        new ListMessageMoveTasksCommand({ SourceArn: queue.arn, MaxResults: 1 }),
      );
      const task = Results[0];
      options.progress(
        `${queue.name}: ${task?.Status ?? 'UNKNOWN'} ${task?.ApproximateNumberOfMessagesMoved ?? 0}/${task?.ApproximateNumberOfMessagesToMove ?? '?'} moved`,
      );
      if (task && task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') {
        results.push({
          service: queue.service,
          kind: queue.kind,
          moved: task.ApproximateNumberOfMessagesMoved ?? 0,
          status: task.Status ?? 'UNKNOWN',
          ...(task.FailureReason ? { reason: task.FailureReason } : {}),
        });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
    }
  }
  const failed = results.filter((result) => result.status !== 'COMPLETED');
  if (options.json) printJson({ results });
  else
    printText(
      results.length === 0
        ? 'Nothing to redrive: the selected DLQs are empty.'
        : results
            .map(
              (result) =>
                `${result.service} ${result.kind} DLQ: ${result.status}, ${result.moved} moved${result.reason ? ` (${result.reason})` : ''}`,
            )
            .join('\n'),
    );
  return failed.length > 0 ? DLQ_EXIT.failed : DLQ_EXIT.ok;
}

/** The offline runtime's DLQs: each service's queue DLQ and rule DLQ, moved through the runtime's SQS front. */
export function offlineDlqTarget(runtime: Runtime): DlqTarget {
  return {
    sqs: runtime.clients.operatorSqs,
    queues: Object.entries(runtime.resources.services).flatMap(([service, queues]) => [
      { service, kind: 'queue' as const, ...queues.dlq },
      { service, kind: 'rule' as const, ...queues.busDlq },
    ]),
    notCovered: runtime.topology.workers
      .filter((worker) => worker.trigger.kind !== 'invoke')
      .map(
        (worker) =>
          `${worker.name} (its DLQ exists on a deployed stage only; offline a worker's failure is logged)`,
      ),
    redriveRuleDlq: (service) => runtime.dlq.redriveDlq(service, { kind: 'bus' }),
  };
}
