import type { EventBridgeEvent } from 'aws-lambda';

/*
 * The bus event log: every event the buses accepted, as newline-delimited JSON envelopes in the event-log bucket,
 * partitioned by detail-type and the UTC date of the event's `time`. EventBridge cannot list an archive, so
 * `finledger replay --dry-run` counts a window from here. Firehose writes it in AWS (`stacks/event-log.ts`), the
 * local bus offline (`runtime/bus-event-log.ts`); both take their keys from this file, and one reader serves both.
 *
 *   event-log/type=<detail-type, @uri>/date=<YYYY-MM-DD>/<object>              finledger bus
 *   restricted/event-log/type=<detail-type, @uri>/date=<YYYY-MM-DD>/<object>   landing's S3 notifications
 */

/** One logged event: the envelope EventBridge hands a rule target (id, source, detail-type, time, detail…). */
export type LoggedEvent = EventBridgeEvent<string, unknown>;

/**
 * `main` holds the finledger bus's events. `restricted` holds the AWS-native ones, which only come from the
 * default bus: landing's S3 notifications, whose partner-chosen object keys may hold a card number, so they live
 * under the bucket's card-data prefix and expire like card data.
 */
export type EventLogZone = 'main' | 'restricted';

/** Every zone, in the order the reader reads them. */
export const EVENT_LOG_ZONES: readonly EventLogZone[] = ['main', 'restricted'];

/** Card-data prefix of the event-log bucket (its topology `cardDataPrefixes`). */
export const RESTRICTED_PREFIX = 'restricted/';

const ROOTS: Readonly<Record<EventLogZone, string>> = {
  main: 'event-log/',
  restricted: `${RESTRICTED_PREFIX}event-log/`,
};

const ERROR_ROOTS: Readonly<Record<EventLogZone, string>> = {
  main: 'event-log-errors/',
  restricted: `${RESTRICTED_PREFIX}event-log-errors/`,
};

/** Where a zone's partitions start. */
export function zoneRoot(zone: EventLogZone): string {
  return ROOTS[zone];
}

/** Where Firehose puts a zone's records it could not partition or deliver (they may hold card data too). */
export function zoneErrorRoot(zone: EventLogZone): string {
  return ERROR_ROOTS[zone];
}

/** The zone of an event: AWS-native sources reach finledger only through the default bus (landing). */
export function zoneOf(event: Pick<LoggedEvent, 'source'>): EventLogZone {
  return event.source.startsWith('aws.') ? 'restricted' : 'main';
}

/**
 * A detail-type as one key segment, exactly as Firehose's jq 1.6 `@uri` writes it: `Object Created` →
 * `Object%20Created`. jq 1.6 keeps `A-Za-z0-9-_.!~*'()` and percent-encodes every other UTF-8 byte, which is
 * `encodeURIComponent`. A space or `/` never reaches a key raw, whatever Firehose would make of it.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning-partitioning-keys.html (jq 1.6)
 * @example typeSegment('Object Created') // 'Object%20Created'
 */
export function typeSegment(type: string): string {
  return encodeURIComponent(type);
}

/** The detail-type a listed segment names (`decodeURIComponent`; also undoes jq 1.7's stricter `@uri`). */
export function typeOfSegment(segment: string): string {
  return decodeURIComponent(segment);
}

/**
 * The UTC date of an event's `time`, as Firehose's `.time[0:10]` takes it: EventBridge always writes
 * `YYYY-MM-DDTHH:MM:SSZ`.
 */
export function eventDate(event: Pick<LoggedEvent, 'time'>): string {
  return event.time.slice(0, 10);
}

/** `<zone root>type=<segment>/`: one type's partitions. The reader also builds it from a listed segment. */
export function typePrefix(zone: EventLogZone, segment: string): string {
  return `${zoneRoot(zone)}type=${segment}/`;
}

/** `<type prefix>date=<date>/`: one partition. */
export function datePartition(typePrefixOfZone: string, date: string): string {
  return `${typePrefixOfZone}date=${date}/`;
}

/**
 * The partition an event belongs in.
 * @example partitionOf({ source: 'aws.s3', 'detail-type': 'Object Created', time: '2026-11-19T23:59:59Z' })
 *   // 'restricted/event-log/type=Object%20Created/date=2026-11-19/'
 */
export function partitionOf(event: Pick<LoggedEvent, 'source' | 'detail-type' | 'time'>): string {
  return datePartition(typePrefix(zoneOf(event), typeSegment(event['detail-type'])), eventDate(event));
}

/** Firehose's inline-parsing query for the two partition keys: the same encoding as `typeSegment` and `eventDate`. */
export const PARTITION_KEY_QUERY = '{type: .["detail-type"] | @uri, date: .time[0:10]}';

/**
 * Firehose's `Prefix` of a zone: `partitionOf` with the keys the query extracts.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning-s3bucketprefix.html
 */
export function firehosePrefix(zone: EventLogZone): string {
  return datePartition(typePrefix(zone, '!{partitionKeyFromQuery:type}'), '!{partitionKeyFromQuery:date}');
}

/**
 * Firehose's `ErrorOutputPrefix` of a zone (required with dynamic partitioning; must name the error type).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
 */
export function firehoseErrorPrefix(zone: EventLogZone): string {
  return `${zoneErrorRoot(zone)}!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/`;
}
