import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  DatasetContract,
  SilverColumn,
  SilverValue,
} from '../../contracts/datasets/dataset-contract.ts';
import {
  DEFAULT_SET_ENGINE_LIMITS,
  type SetEngine,
  sqlText,
  withSetEngine,
} from '../../lib/duckdb/set-engine.ts';
import { ParquetPartBuffer } from '../../lib/parquet/parquet-part-buffer.ts';
import { readSilverPart } from '../../lib/parquet/silver-part-reader.ts';
import { createRandom } from '../../test/sample-data/prng.ts';
import { defineGoldOrderMacros, goldOrderSql, goldValueSql } from './gold-order-sql.ts';

const lineage = {
  partner: 'acme-bank',
  businessDate: '2026-11-20',
  fileId: 'f_1',
  sha256: 'a'.repeat(64),
  runId: 'run_1',
  schemaV: 1,
};

/** One column of each silver type, nullable, so every conversion and null ordering is seen. */
const COLUMNS: SilverColumn[] = [
  { name: 'text', type: 'STRING', nullable: true, description: 'Test only.' },
  { name: 'count', type: 'INT32', nullable: true, description: 'Test only.' },
  { name: 'amount', type: 'INT64', nullable: true, description: 'Test only.' },
  { name: 'day', type: 'DATE', nullable: true, description: 'Test only.' },
  { name: 'at', type: 'TIMESTAMP_MICROS', nullable: true, description: 'Test only.' },
];
const CONTRACT = { silverColumns: COLUMNS } as unknown as DatasetContract;

const TEXT = [
  '',
  'a',
  'a\u0000',
  'a\u0000b',
  'e\u0301',
  'é',
  '\ud7ff',
  '\ue000',
  '\ufeff',
  '\ufffd',
  '\uffff',
];
const MORE_TEXT = ['😀', '\u{10000}', '\u{10ffff}', '\ufeffz', '\ufeff\ufeffz', 'z\ufeff', 'Å', '\u212b'];
const EDGES: SilverValue[][] = [
  [null, null, null, null, null],
  ['x', -(2 ** 31), -(2n ** 63n), -719_528, -(2n ** 62n)],
  ['y', 2 ** 31 - 1, 2n ** 63n - 1n, 2_932_896, 2n ** 62n],
  ['z', 0, 2n ** 53n + 1n, 0, -1n],
];

/** Every text paired with every other, plus edges and random rows of each type. */
function rows(): SilverValue[][] {
  const random = createRandom(7);
  const texts = [...TEXT, ...MORE_TEXT];
  const pairs = texts.flatMap((a) => texts.map((b) => `${a}${b}`));
  return [
    ...EDGES,
    ...pairs.map((text) => [
      random.chance(0.1) ? null : text,
      random.chance(0.1) ? null : random.int(-1000, 1000),
      random.chance(0.1) ? null : BigInt(random.int(-1e9, 1e9)),
      random.chance(0.1) ? null : random.int(-40_000, 40_000),
      random.chance(0.1) ? null : BigInt(random.int(-1e9, 1e9)) * 1_000_003n,
    ]),
  ];
}

/** A part of the rows as schema-validate writes silver, or as dedup rewrites it with DuckDB. */
async function stagedPart(
  engine: SetEngine,
  viaDuckDb: boolean,
): Promise<{ path: string; bytes: Uint8Array }> {
  const part = new ParquetPartBuffer(COLUMNS, lineage);
  for (const [index, values] of rows().entries()) part.append(values, index + 2);
  const path = await engine.stage('part.parquet', part.finish());
  if (!viaDuckDb) return { path, bytes: await readFile(path) };
  const copied = join(engine.folder, 'copied.parquet');
  await engine.db.run(
    `COPY (SELECT * FROM read_parquet(${sqlText(path)})) TO ${sqlText(copied)} (FORMAT parquet, COMPRESSION snappy)`,
  );
  return { path: copied, bytes: await readFile(copied) };
}

const compareJs = (a: SilverValue, b: SilverValue): number =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0;

describe.each([
  ['as schema-validate writes silver', false],
  ['as dedup rewrites it with DuckDB', true],
])('gold order SQL over a part %s', (_name, viaDuckDb) => {
  it('reads every silver type as the JavaScript value readSilverPart gives', async () => {
    // Prepare
    const result = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
      const { path, bytes } = await stagedPart(engine, viaDuckDb);
      const expected = await readSilverPart(bytes, CONTRACT);

      // Act
      const reader = await engine.db.runAndReadAll(
        `SELECT ${COLUMNS.map((column) => goldValueSql(column, 'p')).join(', ')}
         FROM read_parquet(${sqlText(path)}) p ORDER BY _row_number`,
      );
      return {
        actual: reader.getRows(),
        expected: Array.from({ length: expected.length }, (_, index) => expected.values(index)),
      };
    });

    // Assess
    expect(result.actual).toEqual(result.expected);
    expect(result.actual[2]?.map((value) => typeof value)).toEqual([
      'string',
      'number',
      'bigint',
      'number',
      'bigint',
    ]);
    expect(result.actual.some((row) => String(row[0]).startsWith('\ufeffz'))).toBe(true);
  });

  it.each(COLUMNS.map((column) => [column.name, column] as const))(
    'orders %s exactly as goldOrder compares its JavaScript values, nulls first',
    async (_column, column) => {
      // Prepare
      const at = COLUMNS.indexOf(column);
      const { actual, values } = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
        const { path, bytes } = await stagedPart(engine, viaDuckDb);
        const part = await readSilverPart(bytes, CONTRACT);
        await defineGoldOrderMacros(engine);

        // Act
        const reader = await engine.db.runAndReadAll(
          `SELECT _row_number::INTEGER FROM read_parquet(${sqlText(path)}) p
           ORDER BY ${goldOrderSql(column, 'p')}, _row_number`,
        );
        return {
          actual: reader.getRows().map(([row]) => Number(row)),
          values: Array.from({ length: part.length }, (_, index) => part.values(index)[at] ?? null),
        };
      });

      // Assess
      const expected = values
        .map((value, index) => ({ value, row: index + 2 }))
        .sort((a, b) => compareJs(a.value, b.value) || a.row - b.row)
        .map((entry) => entry.row);
      expect(actual).toEqual(expected);
      if (column.type === 'STRING') {
        const utf8 = [...values].sort((a, b) =>
          a === null || b === null
            ? compareJs(a, b)
            : Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)),
        );
        expect(utf8).not.toEqual([...values].sort(compareJs));
      }
    },
  );
});
