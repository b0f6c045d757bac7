import type { BusEvent } from '../../../runtime/bus-events.ts';

/** When the events of one type were published, in seconds after the first upload. */
export interface StageSpan {
  readonly type: string;
  readonly events: number;
  readonly firstSeconds: number;
  readonly lastSeconds: number;
}

/**
 * Where the end-to-end time went: per event type, how many were published and the first and last `occurredAt`
 * (millisecond envelope time; the bus's own `time` has whole seconds). S3's own events carry the scenario clock's
 * simulated time and are left out.
 */
export function stageTimeline(events: readonly BusEvent[], startedAtMs: number): StageSpan[] {
  const spans = new Map<string, { events: number; first: number; last: number }>();
  for (const event of events) {
    if (event.source === 'aws.s3' || event['replay-name']) continue;
    const occurredAt = Date.parse(String((event.detail as { occurredAt?: unknown }).occurredAt ?? ''));
    if (Number.isNaN(occurredAt) || occurredAt < startedAtMs) continue;
    const span = spans.get(event['detail-type']) ?? { events: 0, first: occurredAt, last: occurredAt };
    span.events += 1;
    span.first = Math.min(span.first, occurredAt);
    span.last = Math.max(span.last, occurredAt);
    spans.set(event['detail-type'], span);
  }
  return [...spans]
    .map(([type, span]) => ({
      type,
      events: span.events,
      firstSeconds: (span.first - startedAtMs) / 1000,
      lastSeconds: (span.last - startedAtMs) / 1000,
    }))
    .sort((a, b) => a.firstSeconds - b.firstSeconds);
}
