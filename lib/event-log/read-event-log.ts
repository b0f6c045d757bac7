import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  datePartition,
  EVENT_LOG_ZONES,
  type EventLogZone,
  type LoggedEvent,
  typePrefix,
  typeSegment,
  zoneRoot,
} from './layout.ts';

/** A window of event time to read, both ends included, optionally of some detail-types only. */
export interface EventLogWindow {
  readonly from: Date;
  readonly to: Date;
  readonly types?: readonly string[];
}

/** An event-log object the reader cannot use; the message says which and what to do. */
export class EventLogReadError extends Error {
  constructor(
    message: string,
    readonly bucket: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'EventLogReadError';
  }
}

/**
 * The logged events whose `time` is in the window, each once. The same code reads Firehose's log in AWS and the
 * local bus's offline.
 * 1. Per zone, the type partitions: the types asked for, or every type listed under the zone.
 * 2. Per type, only the date partitions the window touches; their objects one at a time, line by line.
 * 3. Events outside the window are skipped; an id already yielded is skipped (Firehose delivers at least once).
 * Event times have whole seconds, so the window is widened to whole seconds, as EventBridge's replay compares.
 * @example for await (const event of readEventLog(s3, bucket, { from, to, types: ['FileLanded'] })) count++;
 */
export async function* readEventLog(
  s3: S3Client,
  bucket: string,
  window: EventLogWindow,
): AsyncGenerator<LoggedEvent> {
  const from = Math.floor(window.from.getTime() / 1000) * 1000;
  const to = Math.ceil(window.to.getTime() / 1000) * 1000;
  // Date partitions are listed, not enumerated: a window reaching far into the future (or the past) costs one listing
  // per type, not one request per day it spans.
  const first = datePartitionOf('', new Date(from));
  const last = datePartitionOf('', new Date(to));
  const yielded = new Set<string>();
  for (const zone of EVENT_LOG_ZONES) {
    for (const typeRoot of await typePrefixes(s3, bucket, zone, window.types)) {
      const partitions = (await commonPrefixes(s3, bucket, `${typeRoot}date=`)).filter((partition) => {
        const date = partition.slice(typeRoot.length);
        return date >= first && date <= last;
      });
      for (const partition of partitions) {
        for await (const key of objectKeys(s3, bucket, partition)) {
          for await (const event of eventsOf(s3, bucket, key)) {
            const time = Date.parse(event.time);
            if (time < from || time > to || yielded.has(event.id)) continue;
            yielded.add(event.id);
            yield event;
          }
        }
      }
    }
  }
}

/**
 * The window's events as one array, for callers that count them all (the replay prediction).
 * @example const events = await eventLogEvents(s3, bucket, { from, to });
 */
export async function eventLogEvents(
  s3: S3Client,
  bucket: string,
  window: EventLogWindow,
): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for await (const event of readEventLog(s3, bucket, window)) events.push(event);
  return events;
}

/** The type prefixes to read in a zone: computed for the types asked for, else listed as Firehose wrote them. */
async function typePrefixes(
  s3: S3Client,
  bucket: string,
  zone: EventLogZone,
  types: readonly string[] | undefined,
): Promise<string[]> {
  if (types) return types.map((type) => typePrefix(zone, typeSegment(type)));
  return commonPrefixes(s3, bucket, `${zoneRoot(zone)}type=`);
}

/** The folders (up to the next `/`) under a prefix, every page. */
async function commonPrefixes(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
    );
    prefixes.push(...(page.CommonPrefixes ?? []).flatMap((common) => common.Prefix ?? []));
    token = page.NextContinuationToken;
  } while (token);
  return prefixes;
}

/** A date partition's folder name relative to its type folder, for the day of `instant` (UTC). */
const datePartitionOf = (root: string, instant: Date): string =>
  datePartition(root, instant.toISOString().slice(0, 10));

async function* objectKeys(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
    token = page.NextContinuationToken;
  } while (token);
}

/** One object's events, streamed line by line: only one object is ever being read. */
async function* eventsOf(s3: S3Client, bucket: string, key: string): AsyncGenerator<LoggedEvent> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!object.Body) return;
  const lines = createInterface({ input: object.Body as Readable, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    yield parseEvent(line, bucket, key, number);
  }
}

function parseEvent(line: string, bucket: string, key: string, number: number): LoggedEvent {
  const where = `Event log object s3://${bucket}/${key} line ${number}`;
  const fix =
    'Firehose and the local bus write whole JSON envelopes, so the object is damaged: restore it, or delete it and accept that a dry run undercounts its partition.';
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch (error) {
    throw new EventLogReadError(`${where} is not JSON. ${fix}`, bucket, key, { cause: error });
  }
  const fields = event as Partial<Record<'id' | 'time' | 'detail-type' | 'source', unknown>> | null;
  if (
    typeof fields?.id !== 'string' ||
    typeof fields.time !== 'string' ||
    Number.isNaN(Date.parse(fields.time)) ||
    typeof fields['detail-type'] !== 'string' ||
    typeof fields.source !== 'string'
  ) {
    throw new EventLogReadError(
      `${where} is not an EventBridge envelope (id, source, detail-type, time). ${fix}`,
      bucket,
      key,
    );
  }
  return event as LoggedEvent;
}
