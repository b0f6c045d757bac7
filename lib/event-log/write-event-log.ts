import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { writeObject } from '../aws/write-object.ts';
import { type LoggedEvent, partitionOf } from './layout.ts';

/** One event-log object: newline-delimited events of one partition, under a key no other write uses. */
export interface EventLogObject {
  readonly key: string;
  readonly body: Uint8Array;
  readonly events: number;
}

/**
 * Cut events into one object per partition (`layout.ts`), as Firehose's dynamic partitioning does. Each key is new
 * (time and a random id), so a repeated write adds an object; the reader drops events whose id it already read.
 * @example eventLogObjects([event]) // [{ key: 'event-log/type=FileLanded/date=2026-11-19/20261207T…-….jsonl', … }]
 */
export function eventLogObjects(
  events: readonly Pick<LoggedEvent, 'source' | 'detail-type' | 'time'>[],
  now: Date = new Date(),
): EventLogObject[] {
  const partitions = new Map<string, (typeof events)[number][]>();
  for (const event of events) {
    const partition = partitionOf(event);
    partitions.set(partition, [...(partitions.get(partition) ?? []), event]);
  }
  const stamp = now.toISOString().replace(/[-:]/g, '');
  return [...partitions].map(([partition, logged]) => ({
    key: `${partition}${stamp}-${randomUUID()}.jsonl`,
    body: new TextEncoder().encode(logged.map((event) => `${JSON.stringify(event)}\n`).join('')),
    events: logged.length,
  }));
}

/** Write one event-log object; never overwrites (`If-None-Match: *`). */
export async function writeEventLogObject(
  s3: S3Client,
  bucket: string,
  object: EventLogObject,
): Promise<void> {
  await writeObject(s3, {
    Bucket: bucket,
    Key: object.key,
    Body: object.body,
    ContentType: 'application/x-ndjson',
    IfNoneMatch: '*',
  });
}

/**
 * An event as a rule target received it (a rule-target DLQ message's body), checked for what its partition needs,
 * so a message that is not an event stays in the DLQ with the reason instead of landing in a wrong partition.
 */
export function loggedEventOf(body: string): LoggedEvent {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    throw new Error('the message body is not JSON, so not an event the event log can hold');
  }
  const fields = event as Partial<Record<'id' | 'source' | 'detail-type' | 'time', unknown>>;
  for (const field of ['id', 'source', 'detail-type', 'time'] as const)
    if (typeof fields?.[field] !== 'string')
      throw new Error(`the message body has no "${field}" text, so it is not an EventBridge event`);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(fields.time as string))
    throw new Error(`the event's time ${String(fields.time)} is not an ISO 8601 instant`);
  return event as LoggedEvent;
}
