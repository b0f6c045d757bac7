import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SET_ENGINE_LIMITS, withSetEngine } from '../../lib/duckdb/set-engine.ts';
import { GoldInputError } from './errors.ts';
import { buildGoldPartition } from './gold-build.ts';
import type { GoldPartition, GoldTarget } from './gold-partition.ts';
import { type CuratedDay, curatedDay } from './test-support/curated-parts.ts';
import { DATE } from './test-support/facts.ts';
import { contractOf, generatedFiles } from './test-support/generated-day.ts';

const PART_ROWS = 32;

import { buildGoldPartitionInMemory, readCuratedRows } from './test-support/in-memory-gold.ts';

/** Every observable of a partition, part bytes included. */
async function observed(partition: GoldPartition) {
  const parts = [];
  for (const part of partition.parts) {
    const { read, ...rest } = part;
    parts.push({ ...rest, bytes: Buffer.from(await read()) });
  }
  const { contentHash, rowCount, sums, byPartner, prefix } = partition;
  return { prefix, parts, contentHash, rowCount, sums, byPartner };
}

async function builtInDuckDb(day: CuratedDay, target: GoldTarget) {
  return withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
    const partition = await buildGoldPartition({ ...day, target, engine, maxRowsPerPart: PART_ROWS });
    return { result: await observed(partition), scratch: await readdir(engine.folder) };
  });
}

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('buildGoldPartition', () => {
  it.each([
    ['transactions', 11],
    ['settlements', 23],
    ['transactions', 37],
  ])(
    'gives %s (seed %i) the parts, keys, content hash and sums of sorting in memory, from rows in any order',
    async (dataset, seed) => {
      // Prepare
      const contract = contractOf(dataset);
      const target = { dataset: contract.name, businessDate: DATE, runId: 'run_gold_sql', schemaV: 1 };
      const files = generatedFiles(contract, seed);
      const day = await curatedDay(contract, DATE, files);
      const reshuffled = await curatedDay(
        contract,
        DATE,
        [...files].reverse().map((file) => ({
          ...file,
          rows: [...file.rows].reverse(),
          partRows: 7,
          viaDuckDb: !file.viaDuckDb,
        })),
      );
      const rows = await readCuratedRows(day.runs, day.getObject);
      const expected = await observed(
        buildGoldPartitionInMemory(rows, target, { maxRowsPerPart: PART_ROWS }),
      );

      // Act
      const built = await builtInDuckDb(day, target);
      const rebuilt = await builtInDuckDb(reshuffled, target);

      // Assess
      expect(built.result).toEqual(expected);
      expect(rebuilt.result).toEqual(expected);
      expect(expected.parts.length).toBeGreaterThan(3);
      expect(expected.rowCount).toBe(files.reduce((total, file) => total + file.rows.length, 0));
      expect(built.scratch).toContain('gold-part-00003.parquet');
      // The inputs hold what plain VARCHAR order gets wrong, and every other awkward kind of text.
      const keys = rows.map((row) => String(row[contract.naturalKey[1] as string]));
      expect([...keys].sort(utf8Order)).not.toEqual([...keys].sort());
      const cells = files.flatMap((file) => file.rows.flatMap((row) => row.values));
      for (const piece of ['\u0000', 'e\u0301', 'é', '\ufeff', '\uffff', '😀'])
        expect(cells.some((cell) => typeof cell === 'string' && cell.includes(piece))).toBe(true);
      // One leading U+FEFF is dropped on reading (hyparquet and the DuckDB client alike), a second one stays.
      expect(cells.some((cell) => typeof cell === 'string' && cell.startsWith('\ufeff\ufeff'))).toBe(true);
      expect(cells).toContain('');
      expect(cells).toContain(null);
    },
  );

  it('writes the one empty part of a day without a unique row, as in memory', async () => {
    // Prepare
    const contract = contractOf('settlements');
    const target = { dataset: contract.name, businessDate: DATE, runId: 'run_gold_empty', schemaV: 1 };
    const empty = { partner: 'acme-bank', sha256: 'e'.repeat(64), rows: [], partRows: 10 };
    const day = await curatedDay(contract, DATE, [
      { ...empty, fileId: 'f_1', viaDuckDb: false },
      { ...empty, fileId: 'f_2', viaDuckDb: true },
    ]);
    const expected = await observed(buildGoldPartitionInMemory([], target, { maxRowsPerPart: PART_ROWS }));

    // Act
    const built = await builtInDuckDb(day, target);

    // Assess
    expect(built.result).toEqual(expected);
    expect(built.result.parts).toHaveLength(1);
    expect(built.result.rowCount).toBe(0);
  });

  it('refuses a part holding a row of another file, naming the part', async () => {
    // Prepare: f_2's run lists a part of f_1.
    const contract = contractOf('transactions');
    const target = { dataset: contract.name, businessDate: DATE, runId: 'run_gold_bad', schemaV: 1 };
    const [file] = generatedFiles(contract, 5);
    if (!file) throw new Error('no file generated');
    const day = await curatedDay(contract, DATE, [file, { ...file, fileId: 'f_2', rows: [] }]);
    const [first, second] = day.runs;
    if (!first || !second) throw new Error('two runs expected');
    day.runs[1] = { ...second, unique: { ...second.unique, parts: [...first.unique.parts] } };

    // Act
    const attempt = builtInDuckDb(day, target);

    // Assess
    await expect(attempt).rejects.toThrow(GoldInputError);
    await expect(attempt).rejects.toThrow(
      `part ${first.unique.parts[0]} of f_2 holds a row of ${file.fileId}`,
    );
  });
});
