import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { LOCAL_ACCOUNT } from './physical-names.ts';

/** An event as EventBridge delivers it to targets (and as the archive stores it). */
export type BusEvent = EventBridgeEvent<string, unknown> & { 'replay-name'?: string };

/** A PutEvents entry as it travels in the JSON protocol (`Time` is epoch seconds). */
export interface WireEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  readonly EventBusName?: string;
  readonly Time?: number;
  readonly TraceHeader?: string;
}

/** One PutEvents result entry: an event id, or an error code and message. */
export type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** Largest PutEvents request, summed over entries. */
export const MAX_REQUEST_BYTES = 256 * 1024;
export const MAX_ENTRIES = 10;

/**
 * Size of one entry as EventBridge counts it: 14 bytes for Time, plus the UTF-8 bytes of Source,
 * DetailType, Detail and each resource.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export function entrySize(entry: WireEntry): number {
  const bytes = (value: string | undefined) => (value ? Buffer.byteLength(value, 'utf8') : 0);
  return (
    (entry.Time !== undefined ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0)
  );
}

/**
 * Validate an entry and build the event the bus routes, or the per-entry error PutEvents reports.
 * `acceptedBusNames` are the names (and ARN) this local bus answers to.
 */
export function toBusEvent(
  entry: WireEntry,
  context: { region: string; acceptedBusNames: ReadonlySet<string>; allowAwsSources: boolean },
): { event: BusEvent } | { error: { ErrorCode: string; ErrorMessage: string } } {
  const missing = (['Source', 'DetailType', 'Detail'] as const).filter((field) => !entry[field]);
  if (missing.length > 0) {
    return invalid('InvalidArgument', `Parameter(s) ${missing.join(', ')} could not be found.`);
  }
  if (entry.EventBusName !== undefined && !context.acceptedBusNames.has(entry.EventBusName)) {
    return invalid(
      'InvalidArgument',
      `Event bus ${entry.EventBusName} does not exist locally. Use one of: ${[...context.acceptedBusNames].join(', ')}.`,
    );
  }
  const source = entry.Source as string;
  if (source.startsWith('aws.') && !context.allowAwsSources) {
    // AWS reserves aws.* sources for its services; the local S3 bridge is the only producer allowed here.
    return invalid('NotAuthorizedForSourceException', `Not authorized for the source ${source}.`);
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return invalid('MalformedDetail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return invalid('MalformedDetail', 'Detail is malformed: it must be a JSON object.');
  }
  return {
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType as string,
      source,
      account: LOCAL_ACCOUNT,
      time: eventTime(entry.Time),
      region: context.region,
      resources: [...(entry.Resources ?? [])],
      detail,
    },
  };
}

/** EventBridge stamps `time` with second precision, in UTC. */
function eventTime(epochSeconds: number | undefined): string {
  const date = epochSeconds === undefined ? new Date() : new Date(epochSeconds * 1000);
  return `${date.toISOString().slice(0, 19)}Z`;
}

function invalid(code: string, message: string) {
  return { error: { ErrorCode: code, ErrorMessage: message } };
}
