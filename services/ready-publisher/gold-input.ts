import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetContract } from '../../contracts/datasets/dataset-contract.ts';
import { type SetEngine, sqlPaths, sqlText } from '../../lib/duckdb/set-engine.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import { partNumber } from '../../lib/parquet/part-keys.ts';
import { GoldInputError } from './errors.ts';
import { type BucketRange, goldBucketSql } from './gold-buckets.ts';
import type { ReadyPorts } from './ports.ts';

/** The one schema version of the runs gold reads (a partition holds one); null when there is no run. */
export function schemaVersionOf(runs: readonly DedupRunRecord[]): number | null {
  const versions = [...new Set(runs.map((run) => run.schemaV))];
  if (versions.length > 1)
    throw new GoldInputError(
      `the dedup runs hold schema versions ${versions.join(', ')}; one partition holds one`,
    );
  return versions[0] ?? null;
}

/**
 * A day's curated rows of some gold buckets, staged for DuckDB: `relation` reads them with `input` (the run's
 * index in the runs given) and `gold_bucket` beside the silver columns and `_row_number`; null when no run has a
 * part.
 */
export interface StagedCuratedRows {
  readonly relation: string | null;
}

/**
 * Stage the rows of the given buckets from every unique part of each run (each file's latest dedup run) into the
 * engine's scratch folder, one part at a time: the part is downloaded, checked (`refuseForeignRows`), its rows of
 * the range copied with their run index and bucket into a slice of their own, and the part removed. Disk holds
 * the range's rows and one part, memory one object (bounded by dedup's part size), whatever the day's size. Needs
 * `defineGoldOrderMacros`.
 * @example const staged = await stageCuratedRows(day.uniqueRuns, contract, ALL_BUCKETS, ports.getObject, engine)
 */
export async function stageCuratedRows(
  runs: readonly DedupRunRecord[],
  contract: DatasetContract,
  buckets: BucketRange,
  getObject: ReadyPorts['getObject'],
  engine: SetEngine,
): Promise<StagedCuratedRows> {
  const slices: string[] = [];
  for (const [input, run] of runs.entries()) {
    const bucket = goldBucketSql(contract, 'p', { partner: run.partner });
    for (const key of run.unique.parts) {
      const number = partNumber(slices.length);
      const part = await engine.stage(
        `curated-${number}.parquet`,
        await getObject({ bucket: run.unique.bucket, key }),
      );
      await refuseForeignRows(engine, part, { key, fileId: run.fileId });
      const slice = join(engine.folder, `slice-${number}.parquet`);
      await engine.db.run(
        `COPY (
           SELECT * FROM (SELECT ${input}::INTEGER AS input, ${bucket} AS gold_bucket, p.* FROM read_parquet(${sqlText(part)}) p)
           WHERE gold_bucket >= ${buckets.from} AND gold_bucket < ${buckets.to}
         ) TO ${sqlText(slice)} (FORMAT parquet)`,
      );
      await rm(part);
      slices.push(slice);
    }
  }
  return { relation: slices.length > 0 ? `read_parquet(${sqlPaths(slices)})` : null };
}

/**
 * Refuse a part holding a row of another file than its run's (as JavaScript reads the file id): one run per file
 * was read, so such a row is a wiring or dedup bug.
 */
async function refuseForeignRows(
  engine: SetEngine,
  path: string,
  part: { readonly key: string; readonly fileId: string },
): Promise<void> {
  const reader = await engine.db.runAndReadAll(
    `SELECT p._file_id FROM read_parquet(${sqlText(path)}) p
     WHERE gold_js_text(p._file_id) IS DISTINCT FROM ${sqlText(part.fileId)} LIMIT 1`,
  );
  const found = reader.getRows()[0];
  if (!found) return;
  throw new GoldInputError(`part ${part.key} of ${part.fileId} holds a row of ${String(found[0])}`);
}
