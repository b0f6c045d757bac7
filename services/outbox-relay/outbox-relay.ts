import type { OutboxItem } from '../../lib/outbox/outbox-item.ts';
import { type RelayReport, relayEntries, toBusEntry } from '../../lib/outbox/relay.ts';
import { PublishRefusedError } from './errors.ts';
import type { OutboxRelayPorts } from './ports.ts';

/** The fields of an outbox row the relay publishes from. */
export type StreamedEntry = Pick<OutboxItem, 'eventId' | 'source' | 'type' | 'detail' | 'status'>;

/** One record of the outbox table's stream, as the relay reads it. */
export interface OutboxChange {
  /** Position in the shard: what a partial batch response names. */
  sequenceNumber: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The row after the change (NEW_IMAGE); null when the row was removed. */
  entry: StreamedEntry | null;
}

/** What became of one stream record. */
export type StreamRecordOutcome = 'published' | 'not-a-pending-insert' | 'no-longer-pending';

/** Only entries still pending are published; a PUBLISHED image (the mark itself) is ignored. */
export function pendingOnly(items: readonly OutboxItem[]): OutboxItem[] {
  return items.filter((item) => item.status === 'PENDING');
}

/**
 * Relay the entry one stream record announces. Safe to repeat: Lambda re-sends records.
 *
 * Primary course:
 * 1. Act only on the insert of a pending entry. Every later image of a row is the relay's own bookkeeping
 *    (a failed attempt recorded, the published mark) and a removal is TTL expiry; publishing on a recorded
 *    failure would retry each refusal at once, through the stream, for as long as the bus refuses.
 * 2. Skip an entry that is no longer pending: the record is a re-send, or the sweep published it first.
 * 3. Publish it and mark it published.
 * A refusal is recorded on the entry (still pending) and thrown, so Lambda re-sends the record; the sweep
 * retries it too.
 */
export async function relayStreamRecord(
  change: OutboxChange,
  ports: OutboxRelayPorts,
): Promise<StreamRecordOutcome> {
  const entry = change.entry;
  if (change.eventName !== 'INSERT' || entry?.status !== 'PENDING') return 'not-a-pending-insert';
  if ((await ports.currentStatus(entry.eventId)) !== 'PENDING') return 'no-longer-pending';
  const report = await relayEntries([toBusEntry(entry)], ports);
  if (report.failed > 0) {
    throw new PublishRefusedError(entry.eventId, change.sequenceNumber, report.errors.join('; '));
  }
  return 'published';
}

/**
 * Publish every entry still pending, oldest first: entries whose stream record was lost, whose
 * publish partly failed, or (offline) all entries, since the local runtime drives the relay this way.
 */
export async function sweepPending(ports: OutboxRelayPorts): Promise<RelayReport> {
  return relayEntries(pendingOnly(await ports.listPending()).map(toBusEntry), ports);
}
