import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { UnreadableStreamRecordError } from '../errors.ts';
import type { OutboxChange, StreamedEntry } from '../outbox-relay.ts';

function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The outbox row fields the relay publishes from, as `toOutboxItem` (lib/outbox/outbox-item.ts) writes them. */
export const StreamedEntrySchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  source: z.string().min(1),
  detail: z.string().refine(isJsonObjectText, 'must be the event detail as JSON object text'),
  status: z.enum(['PENDING', 'PUBLISHED']),
}) satisfies z.ZodType<StreamedEntry>;

/**
 * Read one record of the outbox table's stream (view type NEW_IMAGE: a removal carries no image).
 * Throws `UnreadableStreamRecordError` for an image that is not an outbox entry, so the record fails loudly.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html
 * @example readOutboxChange(event.Records[0]) // { sequenceNumber: '4421…', eventName: 'INSERT', entry: { … } }
 */
export function readOutboxChange(record: DynamoDBRecord): OutboxChange {
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  const unreadable = (problem: string, cause?: unknown) =>
    new UnreadableStreamRecordError(sequenceNumber, record.dynamodb?.Keys?.pk?.S, problem, { cause });
  const eventName = record.eventName;
  if (eventName !== 'INSERT' && eventName !== 'MODIFY' && eventName !== 'REMOVE') {
    throw unreadable(`its eventName is ${JSON.stringify(eventName)}, not INSERT, MODIFY or REMOVE`);
  }
  if (eventName === 'REMOVE') return { sequenceNumber, eventName, entry: null };
  const image = record.dynamodb?.NewImage;
  if (!image) throw unreadable(`the ${eventName} has no NEW_IMAGE`);
  let row: unknown;
  try {
    row = unmarshall(image as Record<string, AttributeValue>);
  } catch (error) {
    throw unreadable(`its NEW_IMAGE is not DynamoDB JSON (${(error as Error).message})`, error);
  }
  const entry = StreamedEntrySchema.safeParse(row);
  if (!entry.success) {
    const issues = entry.error.issues.map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`);
    throw unreadable(`its NEW_IMAGE is not an outbox entry (${issues.join('; ')})`, entry.error);
  }
  return { sequenceNumber, eventName, entry: entry.data };
}
