import type { DuckDBDataChunk } from '@duckdb/node-api';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import type { DatasetContract, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import { dateToEpochDays } from '../../contracts/datasets/fields.ts';
import type { SetEngine } from '../../lib/duckdb/set-engine.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import { GoldInputError } from './errors.ts';
import { ALL_BUCKETS, type BucketRange } from './gold-buckets.ts';
import { type StagedCuratedRows, stageCuratedRows } from './gold-input.ts';
import { defineGoldOrderMacros, goldOrderSql, goldValueSql } from './gold-order-sql.ts';
import { type GoldPartition, GoldPartitionWriter, type GoldTarget } from './gold-partition.ts';
import { folderSpool } from './gold-spool.ts';
import type { ReadyPorts } from './ports.ts';

/** Gold columns every row of a run takes from the run record, not from its part (as gold always has). */
const RUN_LINEAGE_FIELDS = ['partner', 'business_date', '_file_id', '_file_sha256', '_schema_v'] as const;
type RunLineage = Readonly<Record<(typeof RUN_LINEAGE_FIELDS)[number], string | number>>;

const lineageOf = (run: DedupRunRecord): RunLineage => ({
  partner: run.partner,
  business_date: dateToEpochDays(run.businessDate),
  _file_id: run.fileId,
  _file_sha256: run.sha256,
  _schema_v: run.schemaV,
});

const compareLineage = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * ORDER BY terms of gold order (`goldOrder`: natural key, `_file_id`, `_row_number`). A field the run record gives
 * (partner, file id) is the same for all of a run's rows, so it is ordered by its rank among the runs, computed
 * here with JavaScript's comparison; silver fields by `goldOrderSql`. Each rank is a column of `gold_runs` (one row
 * per run, by `input`).
 */
async function goldOrderTerms(
  engine: SetEngine,
  contract: DatasetContract,
  lineages: readonly RunLineage[],
): Promise<string[]> {
  const terms: string[] = [];
  await engine.db.run('CREATE TABLE gold_runs (input INTEGER)');
  if (lineages.length > 0)
    await engine.db.run(`INSERT INTO gold_runs SELECT range::INTEGER FROM range(${lineages.length})`);
  for (const field of [...contract.naturalKey, '_file_id', '_row_number']) {
    const column = contract.silverColumns.find((silver) => silver.name === field);
    if (field === '_row_number') terms.push('p._row_number::BIGINT NULLS FIRST');
    else if (RUN_LINEAGE_FIELDS.some((name) => name === field)) {
      const values = lineages.map((lineage) => lineage[field as keyof RunLineage]);
      const sorted = [...new Set(values)].sort(compareLineage);
      const rank = `rank_${terms.length}`;
      await engine.db.run(`ALTER TABLE gold_runs ADD COLUMN ${rank} INTEGER`);
      const ranks = values.map((value, input) => `WHEN ${input} THEN ${sorted.indexOf(value)}`);
      await engine.db.run(`UPDATE gold_runs SET ${rank} = CASE input ${ranks.join(' ')} END`);
      terms.push(`g.${rank}`);
    } else if (column) terms.push(goldOrderSql(column, 'p'));
    // Any other field is null in every JavaScript row: it orders nothing.
  }
  return terms;
}

/** Rows of one DuckDB chunk (run index, bucket, silver values, row number) appended with their lineage. */
function appendChunk(
  writer: GoldPartitionWriter,
  chunk: DuckDBDataChunk,
  contract: DatasetContract,
  lineages: readonly RunLineage[],
): void {
  const columns = chunk.getColumns();
  const inputs = columns[0] as number[];
  const buckets = columns[1] as number[];
  const rowNumbers = columns[columns.length - 1] as bigint[];
  const silver = contract.silverColumns;
  for (let index = 0; index < chunk.rowCount; index += 1) {
    const row: Record<string, SilverValue> = {};
    for (let at = 0; at < silver.length; at += 1)
      row[(silver[at] as { name: string }).name] = (columns[at + 2]?.[index] ?? null) as SilverValue;
    Object.assign(row, lineages[inputs[index] as number], { _row_number: rowNumbers[index] ?? null });
    writer.append(row, buckets[index] as number);
  }
}

/**
 * Build a date's gold partition, or the range of its buckets one unit builds, as set work whatever its size:
 * JavaScript holds one DuckDB chunk of rows and one part; DuckDB sorts within its memory limit and spills to the
 * scratch folder past it. The same rows in any order give the same part bytes, bucket digests and sums as sorting
 * them in memory in gold order (proved by gold-build.duckdb.test.ts), and any cut of the buckets into ranges the
 * same content hash once joined (`joinGoldUnits`).
 *
 * Primary course:
 * 1. Stage the range's rows of every unique part of each file's latest dedup run into the scratch folder, a part at
 *    a time, refusing a part holding a row of another file (`stageCuratedRows`).
 * 2. Sort in DuckDB in gold order (bucket, then natural key with strings by UTF-16 code units as JavaScript compares
 *    them, file id, row number) and stream the rows, a chunk at a time, with each run's lineage into
 *    `GoldPartitionWriter` (its checks, digests and sums).
 * 3. Each finished part waits in the scratch folder until the caller publishes it: read it before the engine closes.
 * @example await withSetEngine(limits, async (engine) => publish(await buildGoldPartition({ runs, target, getObject, engine })))
 */
export async function buildGoldPartition(input: {
  readonly runs: readonly DedupRunRecord[];
  readonly target: GoldTarget;
  readonly getObject: ReadyPorts['getObject'];
  readonly engine: SetEngine;
  readonly maxRowsPerPart?: number;
  /** The buckets to build (every bucket unless given). */
  readonly buckets?: BucketRange;
  /** Key of part `index` (the partition's `part-NNNNN.parquet` unless given). */
  readonly partKey?: (index: number) => string;
}): Promise<GoldPartition> {
  const { runs, target, engine } = input;
  const buckets = input.buckets ?? ALL_BUCKETS;
  const contract = findDataset(target.dataset, target.schemaV);
  if (!contract) throw new GoldInputError(`no dataset contract ${target.dataset} v${target.schemaV}`);
  const writer = new GoldPartitionWriter(target, {
    spool: folderSpool(engine.folder),
    buckets,
    ...(input.maxRowsPerPart === undefined ? {} : { maxRowsPerPart: input.maxRowsPerPart }),
    ...(input.partKey === undefined ? {} : { partKey: input.partKey }),
  });
  await defineGoldOrderMacros(engine);
  const staged = await stageCuratedRows(runs, contract, buckets, input.getObject, engine);
  if (staged.relation) await streamSorted(writer, engine, contract, runs.map(lineageOf), staged);
  return writer.finish();
}

async function streamSorted(
  writer: GoldPartitionWriter,
  engine: SetEngine,
  contract: DatasetContract,
  lineages: readonly RunLineage[],
  staged: StagedCuratedRows,
): Promise<void> {
  const terms = await goldOrderTerms(engine, contract, lineages);
  const values = contract.silverColumns.map((column) => goldValueSql(column, 'p'));
  const result = await engine.db.stream(
    `SELECT p.input, p.gold_bucket, ${values.join(', ')}, p._row_number::BIGINT
     FROM ${staged.relation} p JOIN gold_runs g ON g.input = p.input
     ORDER BY p.gold_bucket, ${terms.join(', ')}`,
  );
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    appendChunk(writer, chunk, contract, lineages);
  }
}
