import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { moveMessages, releaseHeld, sendToQueue } from './dlq-move.ts';
import type { ProvisionedQueue, ProvisionedResources } from './provision.ts';

/** Which DLQ: the SQS redrive DLQ (`dlq`) or the bus rule-target DLQ (`bus`). */
export type DlqKind = 'dlq' | 'bus';

/** A parked message, with the attributes that say why it is there. */
export interface DlqMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: Readonly<Record<string, string>>;
}

/** DLQ inspection and redrive for the offline runtime (the CLI calls these), by service or unit worker name. */
export interface DlqTools {
  /** Peek at up to `max` messages without consuming them. */
  listDlq(service: string, options?: { kind?: DlqKind; max?: number }): Promise<DlqMessage[]>;
  /** Move up to `max` messages back to the service's (or unit worker's) queue, keeping body and message attributes. */
  redriveDlq(service: string, options?: { kind?: DlqKind; max?: number }): Promise<{ moved: number }>;
}

/** Seconds a peeked message stays hidden while the scan continues, so every message is seen once. */
const PEEK_HIDE_SECONDS = 30;

/**
 * DLQ tools over the provisioned queues, for tests and the runtime. Redrive is `moveMessages` (kill-safe, at least
 * once) back to the service queue; the CLI redrives with StartMessageMoveTask or the same `moveMessages`.
 */
export function dlqTools(sqs: SQSClient, resources: ProvisionedResources): DlqTools {
  // A unit worker's queue has a redrive DLQ but no bus DLQ: no rule targets it.
  const queuesOf = (
    service: string,
  ): { queue: ProvisionedQueue; dlq: ProvisionedQueue; busDlq?: ProvisionedQueue } => {
    const queues = resources.services[service] ?? resources.units[service];
    if (!queues) {
      throw new Error(
        `Unknown service "${service}". Known services and unit workers: ${[...Object.keys(resources.services), ...Object.keys(resources.units)].join(', ')}.`,
      );
    }
    return queues;
  };
  const dlqUrl = (service: string, kind: DlqKind = 'dlq') => {
    const queues = queuesOf(service);
    if (kind === 'dlq') return queues.dlq.url;
    if (!queues.busDlq)
      throw new Error(`${service} is a unit worker: no bus rule targets its queue, so it has no bus DLQ.`);
    return queues.busDlq.url;
  };

  return {
    listDlq: (service, options = {}) => peekMessages(sqs, dlqUrl(service, options.kind), options.max ?? 100),

    async redriveDlq(service, options = {}) {
      const { moved } = await moveMessages(sqs, {
        fromUrl: dlqUrl(service, options.kind),
        deliver: sendToQueue(sqs, queuesOf(service).queue.url),
        ...(options.max === undefined ? {} : { max: options.max }),
      });
      return { moved };
    },
  };
}

/**
 * Up to `max` messages of a queue without consuming them: each is hidden while the scan goes on (so each is seen
 * once), then made visible again. Receive counts go up by one, as any peek at SQS does.
 */
export async function peekMessages(sqs: SQSClient, url: string, max: number): Promise<DlqMessage[]> {
  const seen: Message[] = [];
  while (seen.length < max) {
    const batch = await receiveBatch(sqs, url, Math.min(10, max - seen.length), PEEK_HIDE_SECONDS);
    if (batch.length === 0) break;
    seen.push(...batch);
  }
  await releaseHeld(sqs, url, seen);
  return seen.map(toDlqMessage);
}

async function receiveBatch(
  sqs: SQSClient,
  url: string,
  max: number,
  hideSeconds: number,
): Promise<Message[]> {
  const output = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: max,
      VisibilityTimeout: hideSeconds,
      WaitTimeSeconds: 0,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return output.Messages ?? [];
}

function toDlqMessage(message: Message): DlqMessage {
  const messageAttributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] =
      value.StringValue ?? (value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : '');
  }
  return {
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    attributes: { ...message.Attributes },
    messageAttributes,
  };
}
