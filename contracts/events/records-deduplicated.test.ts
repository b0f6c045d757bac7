import { describe, expect, it } from 'vitest';
import {
  parseRecordsDeduplicated,
  RecordsDeduplicatedPayloadSchema,
  RecordsDeduplicatedV1,
  RecordsDeduplicatedV2,
  RecordsDeduplicatedV2PayloadSchema,
  sumControlTotals,
} from './records-deduplicated.ts';

const parts = (prefix: string) => ({ bucket: 'b', prefix, parts: [`${prefix}rows-00000.jsonl`] });
const payload = {
  fileId: 'f_0123456789abcdef01234567',
  partner: 'acme-bank',
  dataset: 'transactions',
  businessDate: '2026-11-20',
  schemaV: 1,
  sha256: 'a'.repeat(64),
  counts: { valid: 5, unique: 2, duplicates: 2, conflicts: 1 },
  totals: {
    unique: { rowCount: 2, sums: { EUR: '1050', USD: '-310' } },
    duplicates: { rowCount: 2, sums: { EUR: '2100' } },
    conflicts: { rowCount: 1, sums: { EUR: '0' } },
  },
  unique: { bucket: 's', prefix: 'silver/dedup/x/', parts: ['silver/dedup/x/part-00000.parquet'] },
  duplicates: parts('quarantine/dedup/x/duplicates/'),
  conflicts: parts('quarantine/dedup/x/conflicts/'),
};

describe('RecordsDeduplicated v1 payload', () => {
  it('accepts counts that add up, with parts for every non-empty outcome', () => {
    expect(RecordsDeduplicatedPayloadSchema.safeParse(payload).success).toBe(true);
  });

  it.each([
    [
      'counts that do not add up',
      { counts: { valid: 6, unique: 2, duplicates: 2, conflicts: 1 } },
      /valid must equal/,
    ],
    ['duplicates counted without parts', { duplicates: null }, /duplicates must be null exactly/],
    [
      'conflict parts with no conflict counted',
      { counts: { valid: 4, unique: 2, duplicates: 2, conflicts: 0 } },
      /conflicts must be null exactly/,
    ],
    ['no unique part', { unique: { bucket: 's', prefix: 'p/', parts: [] } }, /too_small|>=1/],
    [
      'totals over other rows than counted',
      { totals: { ...payload.totals, duplicates: { rowCount: 3, sums: { EUR: '2100' } } } },
      /totals.duplicates.rowCount must equal counts.duplicates/,
    ],
    [
      'sums for an outcome without rows',
      {
        counts: { valid: 4, unique: 2, duplicates: 2, conflicts: 0 },
        conflicts: null,
        totals: { ...payload.totals, conflicts: { rowCount: 0, sums: { EUR: '0' } } },
      },
      /an outcome without rows must have no sums/,
    ],
    [
      'an amount that is not minor units',
      { totals: { ...payload.totals, unique: { rowCount: 2, sums: { EUR: '10.50' } } } },
      /Invalid string/,
    ],
  ])('refuses %s', (_name, change, message) => {
    const result = RecordsDeduplicatedPayloadSchema.safeParse({ ...payload, ...change });

    expect(result.success).toBe(false);
    expect(result.error?.message).toMatch(message);
  });
});

const manifest = (prefix: string) => ({
  bucket: 'b',
  prefix,
  manifest: `${prefix}_parts-manifest.json`,
  parts: 1600,
  sha256: 'c'.repeat(64),
});

describe('RecordsDeduplicated v2 payload', () => {
  it.each([
    ['manifests for duplicates and conflicts', { duplicates: manifest('d/'), conflicts: manifest('c/') }],
    ['a manifest for duplicates, conflicts listed', { duplicates: manifest('d/') }],
    ['both listed, as v1', {}],
  ])('accepts %s', (_name, change) => {
    expect(RecordsDeduplicatedV2PayloadSchema.safeParse({ ...payload, ...change }).success).toBe(true);
  });

  it.each([
    [
      'a ref with both a part list and a manifest',
      { duplicates: { ...manifest('d/'), parts: ['d/rows-00000.jsonl'] } },
    ],
    ['a ref with neither a part list nor a manifest', { duplicates: { bucket: 'b', prefix: 'd/' } }],
    ['a manifest without its sha256', { duplicates: { ...manifest('d/'), sha256: undefined } }],
    ['a manifest of no part', { duplicates: { ...manifest('d/'), parts: 0 } }],
    ['a manifest for unique, which stays listed', { unique: manifest('u/') }],
  ])('refuses %s', (_name, change) => {
    expect(RecordsDeduplicatedV2PayloadSchema.safeParse({ ...payload, ...change }).success).toBe(false);
  });

  it('keeps conservation: a manifest counted as no duplicates is refused', () => {
    const result = RecordsDeduplicatedV2PayloadSchema.safeParse({
      ...payload,
      counts: { valid: 3, unique: 2, duplicates: 0, conflicts: 1 },
      totals: { ...payload.totals, duplicates: { rowCount: 0, sums: {} } },
      duplicates: manifest('d/'),
    });

    expect(result.error?.message).toMatch(/duplicates must be null exactly/);
  });

  it('is refused as v1: a v1 consumer never mistakes a manifest for a part list', () => {
    expect(
      RecordsDeduplicatedPayloadSchema.safeParse({ ...payload, duplicates: manifest('d/') }).success,
    ).toBe(false);
  });
});

describe('parseRecordsDeduplicated', () => {
  const envelope = {
    eventId: '6f1c1d7e-8a3b-4b8e-9a51-2f1f4d7c9e10',
    occurredAt: '2026-11-20T10:00:00Z',
    producer: 'dedup',
    correlationId: 'f_0123456789abcdef01234567',
    causationId: 'validated',
    runId: 'run_1',
    type: 'RecordsDeduplicated',
  };

  it.each([
    [1, payload, RecordsDeduplicatedV1],
    [2, { ...payload, duplicates: manifest('d/') }, RecordsDeduplicatedV2],
  ])('reads a v%i detail by its own version', (version, data, definition) => {
    const detail = { ...envelope, version, data };

    expect(parseRecordsDeduplicated(detail)).toEqual(definition.schema.parse(detail));
  });

  it.each([
    [
      'a manifest announced as v1',
      { ...envelope, version: 1, data: { ...payload, duplicates: manifest('d/') } },
    ],
    ['an unknown version', { ...envelope, version: 3, data: payload }],
    ['no detail', null],
  ])('gives null for %s', (_name, detail) => {
    expect(parseRecordsDeduplicated(detail)).toBeNull();
  });
});

describe('sumControlTotals', () => {
  it('adds rows and per-currency amounts exactly, beyond 2^53, with currencies sorted', () => {
    // Act
    const sum = sumControlTotals(
      { rowCount: 2, sums: { USD: '9007199254740993', EUR: '-5' } },
      { rowCount: 0, sums: {} },
      { rowCount: 1, sums: { USD: '1', JPY: '1500' } },
    );

    // Assess
    expect(sum).toEqual({ rowCount: 3, sums: { EUR: '-5', JPY: '1500', USD: '9007199254740994' } });
    expect(Object.keys(sum.sums)).toEqual(['EUR', 'JPY', 'USD']);
  });

  it('sums nothing to zero rows and no currency', () => {
    expect(sumControlTotals()).toEqual({ rowCount: 0, sums: {} });
  });
});
