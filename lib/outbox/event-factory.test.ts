import { describe, expect, it } from 'vitest';
import { FileRejectedV1 } from '../../contracts/events/catalog.ts';
import {
  ContractViolationError,
  createEvent,
  EventTooLargeError,
  MAX_EVENT_DETAIL_BYTES,
} from './event-factory.ts';
import { pendingShardOf, toOutboxItem } from './outbox-item.ts';

const origin = {
  producer: 'schema-validate',
  correlationId: 'f_0123456789abcdef01234567',
  causationId: 'cause-1',
  runId: 'run_1',
};
const rejected = {
  fileId: 'f_0123456789abcdef01234567',
  partner: 'acme-bank',
  dataset: 'transactions',
  businessDate: '2026-11-20',
  schemaV: 1,
  code: 'EMPTY_FILE' as const,
  reason: 'The file has no bytes; ask the partner to resend it.',
  location: null,
  counts: { rowsIn: 0, valid: 0, quarantined: 0 },
  source: { bucket: 'raw', key: 'raw/x.csv' },
  quarantine: null,
};

describe('createEvent', () => {
  it('fills the envelope and validates the detail against the contract', () => {
    const detail = createEvent(FileRejectedV1, origin, rejected);

    expect(detail.type).toBe('FileRejected');
    expect(detail.version).toBe(1);
    expect(detail.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(FileRejectedV1.schema.safeParse(detail).success).toBe(true);
  });

  it('refuses a payload its contract does not allow, naming the event', () => {
    expect(() =>
      createEvent(FileRejectedV1, origin, { ...rejected, code: 'NOT_A_CODE' as 'EMPTY_FILE' }),
    ).toThrow(ContractViolationError);
    expect(() =>
      createEvent(FileRejectedV1, origin, { ...rejected, code: 'NOT_A_CODE' as 'EMPTY_FILE' }),
    ).toThrow(/FileRejected v1/);
  });
});

describe('toOutboxItem', () => {
  it('stores the detail verbatim as pending on a stable shard', () => {
    const detail = createEvent(FileRejectedV1, origin, rejected);

    const item = toOutboxItem(detail, new Date('2026-11-23T10:00:00Z'));

    expect(item).toMatchObject({
      pk: `EVT#${detail.eventId}`,
      status: 'PENDING',
      source: 'finledger.schema-validate',
      type: 'FileRejected',
      createdAt: '2026-11-23T10:00:00.000Z',
      pendingShard: pendingShardOf(detail.eventId),
    });
    expect(JSON.parse(item.detail)).toEqual(detail);
  });

  it('refuses an event over the bus size limit before it reaches the outbox, saying what to do', () => {
    // Prepare: a reason long enough to push the detail past the limit
    const reason = 'x'.repeat(MAX_EVENT_DETAIL_BYTES);

    // Act
    const build = () => createEvent(FileRejectedV1, origin, { ...rejected, reason });

    // Assess
    expect(build).toThrow(EventTooLargeError);
    expect(build).toThrow(/FileRejected v1 is \d+ bytes, over the 245760 bytes .* redrive/);
    expect(() =>
      createEvent(FileRejectedV1, origin, { ...rejected, reason: 'x'.repeat(1000) }),
    ).not.toThrow();
  });
});
