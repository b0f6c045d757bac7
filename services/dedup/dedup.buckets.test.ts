import { describe, expect, it } from 'vitest';
import { dedupFile } from './dedup.ts';
import type { ConflictEntry, DuplicateEntry } from './dedup-outputs.ts';
import { passesOf } from './history-passes.ts';
import { findKeyRecords } from './key-history/find-key-records.ts';
import type { DedupConfig } from './ports.ts';
import {
  landSilver,
  memoryHistory,
  memoryObjects,
  SILVER_BUCKET,
  type SilverFile,
  testConfig,
  testPorts,
} from './test-support/fakes.ts';
import { generatedFiles } from './test-support/generated-files.ts';
import { entries, uniqueRows } from './test-support/read-outputs.ts';

const SEEDS = [11, 23];
/** One bucket; 16 in passes of a few buckets (≤ 5 history rows each); 256 in one pass. */
const LAYOUTS = [
  { historyBucketDigits: 0 },
  { historyBucketDigits: 1, historyRowsPerPass: 5 },
  { historyBucketDigits: 2 },
];

/** Dedup the files in order on one history of a layout; everything they produced, comparable. */
async function outcomes(files: readonly SilverFile[], layout: Partial<DedupConfig>) {
  const objects = memoryObjects();
  const history = memoryHistory();
  const config = testConfig(layout);
  const perFile = [];
  for (const file of files) {
    const payload = await dedupFile(landSilver(objects, file), testPorts(objects, history), config);
    perFile.push({
      payload,
      unique: await uniqueRows(objects, payload.unique),
      duplicates: entries<DuplicateEntry>(objects, payload.duplicates),
      conflicts: entries<ConflictEntry>(objects, payload.conflicts),
    });
  }
  const owner = { dataset: 'transactions' as const, partner: 'acme-bank' };
  const ports = { objects: objects.objects, history: history.history };
  const records = await findKeyRecords(ports, SILVER_BUCKET, owner, undefined, config.historyBucketDigits);
  return { perFile, records: [...records.values()].sort((a, b) => a.key.localeCompare(b.key)) };
}

describe('dedupFile over history buckets', () => {
  it('cuts the buckets into passes of at most the configured history rows, a larger bucket alone', () => {
    const manifest = (...rows: number[]) => ({
      version: 1,
      segments: rows.map((n, i) => ({ key: `s${i}`, rows: n })),
    });
    const manifests = new Map([
      ['0', manifest(30, 30)],
      ['1', manifest(30)],
      ['2', manifest(250)],
      ['3', manifest()],
      ['4', manifest(50)],
    ]);
    expect(passesOf(['0', '1', '2', '3', '4'], manifests, 100)).toEqual([['0', '1'], ['2'], ['3', '4']]);
    expect(passesOf(['0', '1', '2', '3', '4'], manifests, 1_000)).toEqual([['0', '1', '2', '3', '4']]);
  });

  it.each(SEEDS)(
    'classifies, writes and remembers the same with 1, 16 or 256 buckets (seed %i)',
    async (seed) => {
      // Prepare
      const files = generatedFiles(seed, { files: 4, rows: [12, 30], ids: 40 });

      // Act
      const [one, ...others] = await Promise.all(LAYOUTS.map((layout) => outcomes(files, layout)));

      // Assess: every kind of outcome occurred, and every width agrees on all of it.
      const counts = one?.perFile.map((file) => file.payload.counts);
      expect(counts?.some((count) => count.duplicates > 0)).toBe(true);
      expect(counts?.some((count) => count.conflicts > 0)).toBe(true);
      expect(one?.perFile.some((file) => file.duplicates.some((entry) => entry.scope === 'cross-file'))).toBe(
        true,
      );
      for (const other of others) expect(other).toEqual(one);
    },
  );
});
