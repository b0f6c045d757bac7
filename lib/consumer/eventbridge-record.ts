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

/**
 * Parse an SQS record carrying one of several versions of an event, chosen by its detail-type and its detail's
 * `version`, and validate it against that version's contract: consumers of an event that has more than one version.
 * @example const detail = parseEventRecordOf(record, RECORDS_DEDUPLICATED_VERSIONS)
 */
export function parseEventRecordOf<D extends EventDefinition<string, number, z.ZodType>>(
  record: SQSRecord,
  definitions: readonly D[],
): z.infer<D['schema']> {
  const event = parseEventBridgeBody(record);
  const version = (event.detail as { version?: unknown } | null)?.version;
  const definition = definitions.find(
    (candidate) => candidate.type === event['detail-type'] && candidate.version === version,
  );
  if (!definition) {
    const known = definitions.map((candidate) => `${candidate.type} v${candidate.version}`).join(', ');
    throw new UnexpectedEventError(
      record.messageId,
      `${event['detail-type']} v${String(version)} is none of ${known}`,
    );
  }
  return parseEventRecord(record, definition);
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
