import { describe, expect, it } from 'vitest';
import { sqlText, withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { allBuckets, bucketOfKey, bucketSql } from './key-buckets.ts';

/** Keys in every shape a natural key takes: ASCII, NFC and NFD accents, CJK, emoji, quotes, control characters. */
const KEYS = [
  'KEY#transactions#acme-bank#tx-1',
  "KEY#settlements#acme-bank's#st-é",
  'KEY#transactions#globex#cafe\u0301',
  'KEY#transactions#globex#取引-42',
  'KEY#transactions#globex#💳-7',
  'KEY#transactions#initech#tab\tand\u0001ctl',
  ...Array.from({ length: 200 }, (_, n) => `KEY#transactions#acme-bank#tx-${n}`),
];

describe('history buckets', () => {
  it('puts every key in the same bucket in JavaScript and in DuckDB SQL, at widths 0, 1 and 2', async () => {
    // Act
    const fromSql = await withSetEngine({ memoryLimit: '256MB', threads: 1 }, async (engine) => {
      const widths: Record<number, string[]> = {};
      for (const digits of [0, 1, 2]) {
        const rows = await engine.db.runAndReadAll(
          `SELECT ${bucketSql('key', digits)} FROM (SELECT unnest([${KEYS.map(sqlText).join(', ')}]) AS key)`,
        );
        widths[digits] = rows.getRows().map(([bucket]) => String(bucket));
      }
      return widths;
    });

    // Assess
    for (const digits of [0, 1, 2])
      expect(fromSql[digits]).toEqual(KEYS.map((key) => bucketOfKey(key, digits)));
    expect(new Set(fromSql[1])).toEqual(new Set(allBuckets(1)));
  });

  it('names 1, 16 and 256 buckets, each a prefix of its children', () => {
    expect(allBuckets(0)).toEqual(['']);
    expect(allBuckets(1)).toHaveLength(16);
    expect(allBuckets(2)).toHaveLength(256);
    for (const child of allBuckets(2)) expect(allBuckets(1)).toContain(child.slice(0, 1));
  });
});
