import type { OutboxItem } from '../../lib/outbox/outbox-item.ts';
import { type RelayReport, relayEntries, toBusEntry } from '../../lib/outbox/relay.ts';
import type { OutboxRelayPorts } from './ports.ts';

/** Only entries still pending are published; a PUBLISHED image (the mark itself) is ignored. */
export function pendingOnly(items: readonly OutboxItem[]): OutboxItem[] {
  return items.filter((item) => item.status === 'PENDING');
}

/**
 * Relay the entries a stream batch announced.
 *
 * Primary course:
 * 1. Keep the pending entries (the stream also carries the relay's own PUBLISHED updates).
 * 2. Publish them in chunks; mark each accepted one.
 * Refused entries stay pending and the sweep retries them.
 */
export async function relayStreamBatch(
  items: readonly OutboxItem[],
  ports: OutboxRelayPorts,
): Promise<RelayReport> {
  return relayEntries(pendingOnly(items).map(toBusEntry), ports);
}

/**
 * Publish every entry still pending, oldest first: entries whose stream record was lost, whose
 * publish partly failed, or (offline) all entries, since the local runtime drives the relay this way.
 */
export async function sweepPending(ports: OutboxRelayPorts): Promise<RelayReport> {
  return relayEntries(pendingOnly(await ports.listPending()).map(toBusEntry), ports);
}
