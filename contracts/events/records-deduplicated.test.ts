import { describe, expect, it } from 'vitest';
import { RecordsDeduplicatedPayloadSchema, sumControlTotals } from './records-deduplicated.ts';

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
