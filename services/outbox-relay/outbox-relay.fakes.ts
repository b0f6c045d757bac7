import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { OutboxItem } from '../../lib/outbox/outbox-item.ts';
import type { BusEntry } from '../../lib/outbox/relay.ts';
import type { OutboxRelayPorts } from './ports.ts';

/** What the fake table remembers of one entry: the fields the relay reads and writes. */
export interface FakeRow {
  status: OutboxItem['status'];
  attempts: number;
  lastError?: string;
}

/** An in-memory outbox table and bus: rows by event id, entries the bus accepted, and refusals to inject. */
export class FakeOutbox {
  readonly rows = new Map<string, FakeRow>();
  /** Every entry the bus accepted, in order (a duplicate publish shows up twice). */
  readonly bus: BusEntry[] = [];
  /** Event ids the bus refuses (as a PutEvents per-entry `ErrorCode`), with the error it reports. */
  readonly refusals = new Map<string, string>();

  holding(eventIds: readonly string[], status: OutboxItem['status'] = 'PENDING'): this {
    for (const eventId of eventIds) this.rows.set(eventId, { status, attempts: 0 });
    return this;
  }

  refusing(eventId: string, error: string): this {
    this.refusals.set(eventId, error);
    return this;
  }

  published(): string[] {
    return this.bus.map((entry) => entry.eventId);
  }

  ports(): OutboxRelayPorts {
    return {
      publish: async (entries) =>
        entries.map((entry) => {
          const refusal = this.refusals.get(entry.eventId);
          if (refusal) return { eventId: entry.eventId, ok: false, error: refusal };
          this.bus.push(entry);
          return { eventId: entry.eventId, ok: true };
        }),
      markPublished: async (eventId) => {
        const row = this.rows.get(eventId);
        if (row) row.status = 'PUBLISHED';
      },
      recordFailure: async (eventId, error) => {
        const row = this.rows.get(eventId);
        if (row?.status === 'PENDING') Object.assign(row, { attempts: row.attempts + 1, lastError: error });
      },
      listPending: async () => [],
      currentStatus: async (eventId) => this.rows.get(eventId)?.status,
    };
  }
}

/** A fresh copy of a stream event fixture, typed as Lambda delivers it. */
export function streamEvent(fixture: unknown): DynamoDBStreamEvent {
  return structuredClone(fixture) as DynamoDBStreamEvent;
}

/** The record at `index` of a fixture event; a missing one is a broken fixture. */
export function recordAt(event: DynamoDBStreamEvent, index = 0): DynamoDBRecord {
  const record = event.Records[index];
  if (!record) throw new Error(`The fixture has no record ${index}`);
  return record;
}

/** A record's NEW_IMAGE in DynamoDB JSON, to read or damage. */
export function imageOf(record: DynamoDBRecord): Record<string, Record<string, unknown>> {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error(`Record ${sequenceOf(record)} has no NEW_IMAGE`);
  return image as Record<string, Record<string, unknown>>;
}

export function sequenceOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}

/** The event id a record's key names (`pk` is `EVT#<eventId>`). */
export function eventIdOf(record: DynamoDBRecord): string {
  return (record.dynamodb?.Keys?.pk?.S ?? '').replace(/^EVT#/, '');
}

/** A log that keeps its lines, for asserting what the operator reads. */
export function recordingLog() {
  const lines: Array<{ level: 'error' | 'warn'; message: string; extra: unknown[] }> = [];
  return {
    lines,
    /** The errors logged at error level, in order. */
    errors: () =>
      lines
        .filter((line) => line.level === 'error')
        .map((line) => (line.extra[0] as { error?: Error } | undefined)?.error),
    log: {
      error: (message: string, ...extra: unknown[]) => void lines.push({ level: 'error', message, extra }),
      warn: (message: string, ...extra: unknown[]) => void lines.push({ level: 'warn', message, extra }),
    },
  };
}
