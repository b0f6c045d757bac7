import { describe, expect, it } from 'vitest';
import { PublishRefusedError } from './errors.ts';
import { FakeOutbox } from './outbox-relay.fakes.ts';
import { type OutboxChange, relayStreamRecord } from './outbox-relay.ts';

function pendingInsert(eventId: string): OutboxChange {
  return {
    sequenceNumber: '100',
    eventName: 'INSERT',
    entry: {
      eventId,
      source: 'finledger.test',
      type: 'Thing',
      detail: `{"eventId":"${eventId}","occurredAt":"2026-11-20T06:00:00.000Z"}`,
      status: 'PENDING',
    },
  };
}

describe('relayStreamRecord', () => {
  it('leaves the entry pending with the error and throws when the PutEvents call itself fails', async () => {
    // Prepare
    const outbox = new FakeOutbox().holding(['e1']);
    const ports = { ...outbox.ports(), publish: () => Promise.reject(new Error('connection reset')) };

    // Act
    const relaying = relayStreamRecord(pendingInsert('e1'), ports);

    // Assess
    await expect(relaying).rejects.toThrow(PublishRefusedError);
    await expect(relaying).rejects.toThrow(/stream record 100 \(e1: connection reset\)/);
    expect(outbox.rows.get('e1')).toEqual({ status: 'PENDING', attempts: 1, lastError: 'connection reset' });
  });

  it('publishes nothing for an entry whose row no longer exists', async () => {
    // Prepare
    const outbox = new FakeOutbox();

    // Act
    const outcome = await relayStreamRecord(pendingInsert('gone'), outbox.ports());

    // Assess
    expect(outcome).toBe('no-longer-pending');
    expect(outbox.bus).toEqual([]);
  });
});
