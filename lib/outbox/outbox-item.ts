import { createHash } from 'node:crypto';
import { eventSource } from '../../contracts/events/envelope.ts';

/** The envelope fields the outbox needs from any event detail. */
export interface PublishableEvent {
  eventId: string;
  type: string;
  version: number;
  producer: string;
  occurredAt: string;
  correlationId: string;
}

/** How an unpublished entry is stored: `pendingShard` exists only while pending (sparse index). */
export interface OutboxItem {
  pk: string;
  eventId: string;
  type: string;
  version: number;
  source: string;
  correlationId: string;
  /** The event detail as JSON text, published byte for byte. */
  detail: string;
  status: 'PENDING' | 'PUBLISHED';
  pendingShard?: string;
  createdAt: string;
  attempts: number;
  lastError?: string;
  publishedAt?: string;
  expiresAt?: number;
}

/** Shards spread the pending index so concurrent sweeps do not all read one partition. */
export const PENDING_SHARDS = 4;

/** Published entries are kept this long for audit and redrive, then expire by TTL. */
export const PUBLISHED_RETENTION_SECONDS = 30 * 24 * 3600;

export const outboxKey = (eventId: string): string => `EVT#${eventId}`;

export function pendingShardOf(eventId: string): string {
  const shard = createHash('sha256').update(eventId).digest()[0]! % PENDING_SHARDS;
  return `PENDING#${shard}`;
}

/** The outbox row for one event, ready to put in the same transaction as the state it describes. */
export function toOutboxItem(detail: PublishableEvent, now: Date = new Date()): OutboxItem {
  return {
    pk: outboxKey(detail.eventId),
    eventId: detail.eventId,
    type: detail.type,
    version: detail.version,
    source: eventSource(detail.producer),
    correlationId: detail.correlationId,
    detail: JSON.stringify(detail),
    status: 'PENDING',
    pendingShard: pendingShardOf(detail.eventId),
    createdAt: now.toISOString(),
    attempts: 0,
  };
}
