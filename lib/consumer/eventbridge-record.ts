import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { EventDefinition } from '../../contracts/events/envelope.ts';

/** What an EventBridge → SQS target delivers as the message body. */
const EventBridgeEventSchema = z.object({
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  time: z.string(),
  detail: z.unknown(),
  'replay-name': z.string().optional(),
});

/** A record whose body is not the event its queue subscribes to: a routing or producer bug. */
export class UnexpectedEventError extends Error {
  constructor(
    readonly messageId: string,
    detail: string,
  ) {
    super(
      `SQS message ${messageId} is not a valid subscribed event (${detail}). It will reach the DLQ; check the producer and the bus rule.`,
    );
    this.name = 'UnexpectedEventError';
  }
}

/**
 * Parse an SQS record carrying an EventBridge event and validate its detail against one contract.
 * @example const detail = parseEventRecord(record, FileLandedV1)
 */
export function parseEventRecord<D extends EventDefinition<string, number, z.ZodType>>(
  record: SQSRecord,
  definition: D,
): z.infer<D['schema']> {
  const event = parseEventBridgeBody(record);
  const detail = definition.schema.safeParse(event.detail);
  if (!detail.success) {
    throw new UnexpectedEventError(
      record.messageId,
      `${definition.type} v${definition.version}: ${detail.error.message}`,
    );
  }
  return detail.data as z.infer<D['schema']>;
}

/** Parse the raw EventBridge envelope (for AWS-native events such as S3 Object Created). */
export function parseEventBridgeBody(record: SQSRecord): z.infer<typeof EventBridgeEventSchema> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new UnexpectedEventError(record.messageId, 'body is not JSON');
  }
  const event = EventBridgeEventSchema.safeParse(body);
  if (!event.success) throw new UnexpectedEventError(record.messageId, 'not an EventBridge event');
  return event.data;
}
