import { describe, expect, it } from 'vitest';
import fixture from '../../test/events/s3-object-created.json' with { type: 'json' };
import { deliveryIdempotencyKey, readS3ObjectCreated } from './s3-notification.ts';

describe('readS3ObjectCreated', () => {
  it('reads the documented S3 Object Created event', () => {
    // Act
    const result = readS3ObjectCreated(fixture);

    // Assess
    expect(result).toEqual({
      ok: true,
      notice: {
        eventId: fixture.id,
        time: fixture.time,
        bucket: 'finledger-dev-landing',
        key: 'inbound/acme-bank/transactions/2026-11-19/acme-transactions-20261119.csv',
        size: 18342,
        etag: 'b1946ac92492d2347c6235b4d2611184',
        versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
        sequencer: '00617F08299329D189',
      },
    });
  });

  it('keeps the key verbatim, as EventBridge delivers it unencoded', () => {
    // Prepare
    const key = 'inbound/acme-bank/transactions/2026-11-19/a+b%20c d.csv';
    const event = { ...fixture, detail: { ...fixture.detail, object: { ...fixture.detail.object, key } } };

    // Act
    const result = readS3ObjectCreated(event);

    // Assess
    expect(result).toMatchObject({ ok: true, notice: { key } });
  });

  it('accepts an unversioned bucket without version-id', () => {
    // Prepare
    const { 'version-id': _omitted, ...object } = fixture.detail.object;

    // Act
    const result = readS3ObjectCreated({ ...fixture, detail: { ...fixture.detail, object } });

    // Assess
    expect(result).toMatchObject({ ok: true, notice: { versionId: null } });
  });

  it.each([
    ['another source', { ...fixture, source: 'finledger.file-landing' }, /expected aws\.s3/],
    ['another detail-type', { ...fixture, 'detail-type': 'Object Deleted' }, /Object Deleted/],
    ['a detail without object', { ...fixture, detail: { bucket: { name: 'b' } } }, /detail/],
    ['an empty key', { ...fixture, detail: { ...fixture.detail, object: { key: '' } } }, /detail/],
  ])('refuses %s', (_case, event, problem) => {
    // Act
    const result = readS3ObjectCreated(event);

    // Assess
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });
});

describe('deliveryIdempotencyKey', () => {
  const base = { eventId: 'e1', time: 't', bucket: 'b', key: 'inbound/k.csv', size: 1 };

  it.each([
    [{ etag: 'e', versionId: 'v', sequencer: 's' }, 'file-landing:b/inbound/k.csv:v'],
    [{ etag: 'e', versionId: null, sequencer: 's' }, 'file-landing:b/inbound/k.csv:s'],
    [{ etag: 'e', versionId: null, sequencer: null }, 'file-landing:b/inbound/k.csv:e'],
    [{ etag: null, versionId: null, sequencer: null }, 'file-landing:b/inbound/k.csv:e1'],
  ])('keys %o on the PUT (version id, then sequencer), not on the bytes', (version, key) => {
    expect(deliveryIdempotencyKey({ ...base, ...version }, 'test-pan-hmac-key-0123456789')).toBe(key);
  });
});
