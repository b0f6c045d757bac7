import type { OutboxItem } from './outbox-item.ts';

/** One entry handed to the bus, as PutEvents takes it. */
export interface BusEntry {
  eventId: string;
  source: string;
  detailType: string;
  detail: string;
  time: string;
}

/** Per-entry outcome of a PutEvents call, which can partly fail while returning 200. */
export type PublishResult = { eventId: string; ok: true } | { eventId: string; ok: false; error: string };

/** What the relay needs from the world. */
export interface RelayPorts {
  /** Publish up to 10 entries; report each entry's outcome, never throw for a partial failure. */
  publish(entries: BusEntry[]): Promise<PublishResult[]>;
  markPublished(eventId: string): Promise<void>;
  recordFailure(eventId: string, error: string): Promise<void>;
}

export interface RelayReport {
  published: number;
  failed: number;
  errors: string[];
}

/** EventBridge accepts at most 10 entries per PutEvents. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

export function toBusEntry(
  item: Pick<OutboxItem, 'eventId' | 'source' | 'type' | 'detail'> & { occurredAt?: string },
): BusEntry {
  const detail = JSON.parse(item.detail) as { occurredAt?: string };
  return {
    eventId: item.eventId,
    source: item.source,
    detailType: item.type,
    detail: item.detail,
    time: detail.occurredAt ?? new Date().toISOString(),
  };
}

/**
 * Publish pending outbox entries, then mark each published one.
 *
 * Primary course:
 * 1. Send entries in chunks of 10.
 * 2. Mark every entry the bus accepted as published.
 * 3. Leave every refused entry pending, with its error, for the next sweep.
 *
 * A crash between 1 and 2 republishes on the next pass: at most a duplicate, which consumers absorb
 * by their idempotency keys. A crash before 1 loses nothing: the entry is still pending.
 */
export async function relayEntries(entries: readonly BusEntry[], ports: RelayPorts): Promise<RelayReport> {
  const report: RelayReport = { published: 0, failed: 0, errors: [] };
  for (let start = 0; start < entries.length; start += PUT_EVENTS_MAX_ENTRIES) {
    const chunk = entries.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
    let results: PublishResult[];
    try {
      results = await ports.publish(chunk);
    } catch (error) {
      // A failed call is a failure of every entry in it; they stay pending.
      const message = error instanceof Error ? error.message : String(error);
      results = chunk.map((entry) => ({ eventId: entry.eventId, ok: false, error: message }));
    }
    for (const result of results) {
      if (result.ok) {
        await ports.markPublished(result.eventId);
        report.published += 1;
      } else {
        await ports.recordFailure(result.eventId, result.error);
        report.failed += 1;
        report.errors.push(`${result.eventId}: ${result.error}`);
      }
    }
  }
  return report;
}
