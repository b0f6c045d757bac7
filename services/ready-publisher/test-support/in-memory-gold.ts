import { findDataset } from '../../../contracts/datasets/catalog.ts';
import { dateToEpochDays } from '../../../contracts/datasets/fields.ts';
import type { DedupRunRecord } from '../../../lib/file-registry/dedup-run-record.ts';
import { readSilverPart } from '../../../lib/parquet/silver-part-reader.ts';
import { GoldInputError } from '../errors.ts';
import { goldBucketOf } from '../gold-buckets.ts';
import type { GoldPartition, GoldTarget, GoldWriterOptions } from '../gold-partition.ts';
import { GoldPartitionWriter } from '../gold-partition.ts';
import { type GoldRow, goldOrder } from '../gold-rows.ts';
import type { ReadyPorts } from '../ports.ts';

/**
 * The oracle the DuckDB build is checked against (ready-publisher built gold this way until issue #11): every
 * unique part of each run read into one array, with lineage from the run record. Tests only: it holds the day.
 * @example const rows = await readCuratedRows(runs, ports.getObject)
 */
export async function readCuratedRows(
  runs: readonly DedupRunRecord[],
  getObject: ReadyPorts['getObject'],
): Promise<GoldRow[]> {
  const rows: GoldRow[] = [];
  for (const run of runs) {
    const contract = findDataset(run.dataset, run.schemaV);
    if (!contract) throw new GoldInputError(`no dataset contract ${run.dataset} v${run.schemaV}`);
    for (const key of run.unique.parts) {
      const part = await readSilverPart(await getObject({ bucket: run.unique.bucket, key }), contract);
      for (let index = 0; index < part.length; index += 1) {
        if (part.fileId(index) !== run.fileId)
          throw new GoldInputError(`part ${key} of ${run.fileId} holds a row of ${part.fileId(index)}`);
        const values = part.values(index);
        rows.push({
          ...Object.fromEntries(
            contract.silverColumns.map((column, at) => [column.name, values[at] ?? null]),
          ),
          partner: run.partner,
          business_date: dateToEpochDays(run.businessDate),
          _file_id: run.fileId,
          _file_sha256: run.sha256,
          _row_number: BigInt(part.rowNumber(index)),
          _schema_v: run.schemaV,
        });
      }
    }
  }
  return rows;
}

/**
 * Sort curated rows in memory by gold bucket, then `goldOrder` (JavaScript string order), and write them: the oracle of gold's
 * bytes, hash and sums for any input order. Tests only.
 * @example buildGoldPartitionInMemory(rows, { dataset: 'transactions', businessDate: '2026-11-20', runId, schemaV: 1 })
 */
export function buildGoldPartitionInMemory(
  rows: readonly GoldRow[],
  target: GoldTarget,
  options: GoldWriterOptions = {},
): GoldPartition {
  const writer = new GoldPartitionWriter(target, options);
  const contract = findDataset(target.dataset, target.schemaV);
  if (!contract) throw new GoldInputError(`no dataset contract ${target.dataset} v${target.schemaV}`);
  const { compare } = goldOrder(contract);
  const bucketed = rows.map((row) => ({ row, bucket: goldBucketOf(row, contract) }));
  bucketed.sort((a, b) => a.bucket - b.bucket || compare(a.row, b.row));
  for (const { row } of bucketed) writer.append(row);
  return writer.finish();
}
