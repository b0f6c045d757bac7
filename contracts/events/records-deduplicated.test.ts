import { describe, expect, it } from 'vitest';
import { RecordsDeduplicatedPayloadSchema } from './records-deduplicated.ts';

const parts = (prefix: string) => ({ bucket: 'b', prefix, parts: [`${prefix}rows-00000.jsonl`] });
const payload = {
  fileId: 'f_0123456789abcdef01234567',
  partner: 'acme-bank',
  dataset: 'transactions',
  businessDate: '2026-11-20',
  schemaV: 1,
  sha256: 'a'.repeat(64),
  counts: { valid: 5, unique: 2, duplicates: 2, conflicts: 1 },
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
  ])('refuses %s', (_name, change, message) => {
    const result = RecordsDeduplicatedPayloadSchema.safeParse({ ...payload, ...change });

    expect(result.success).toBe(false);
    expect(result.error?.message).toMatch(message);
  });
});
