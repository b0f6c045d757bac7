import { type SetEngine, sqlPaths } from '../../lib/duckdb/set-engine.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import { partNumber } from '../../lib/parquet/part-keys.ts';
import { GoldInputError } from './errors.ts';
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
 * A day's curated parts staged for DuckDB: `relation` reads every staged part with its local path as `filename`
 * (null when no run has a part); table `gold_parts(path, part_key, input, file_id)` says which run (index in the
 * runs given) each part belongs to.
 */
export interface StagedCuratedParts {
  readonly relation: string | null;
}

/**
 * Stage every unique part of each run (each file's latest dedup run) into the engine's scratch folder, one object in
 * memory at a time (bounded by dedup's part size), and record in `gold_parts` which run each belongs to.
 * @example const staged = await stageCuratedParts(day.uniqueRuns, ports.getObject, engine)
 */
export async function stageCuratedParts(
  runs: readonly DedupRunRecord[],
  getObject: ReadyPorts['getObject'],
  engine: SetEngine,
): Promise<StagedCuratedParts> {
  await engine.db.run(
    'CREATE TABLE gold_parts (path VARCHAR, part_key VARCHAR, input INTEGER, file_id VARCHAR)',
  );
  const appender = await engine.db.createAppender('gold_parts');
  const paths: string[] = [];
  for (const [input, run] of runs.entries()) {
    for (const key of run.unique.parts) {
      const bytes = await getObject({ bucket: run.unique.bucket, key });
      const path = await engine.stage(`curated-${partNumber(paths.length)}.parquet`, bytes);
      paths.push(path);
      appender.appendVarchar(path);
      appender.appendVarchar(key);
      appender.appendInteger(input);
      appender.appendVarchar(run.fileId);
      appender.endRow();
    }
  }
  appender.closeSync();
  return { relation: paths.length > 0 ? `read_parquet(${sqlPaths(paths)}, filename = true)` : null };
}

/**
 * Refuse a part holding a row of another file than its run's (as JavaScript reads the file id): one run per file
 * was read, so such a row is a wiring or dedup bug. Needs `defineGoldOrderMacros`.
 */
export async function refuseForeignRows(engine: SetEngine, staged: StagedCuratedParts): Promise<void> {
  if (!staged.relation) return;
  const reader = await engine.db.runAndReadAll(
    `SELECT g.part_key, g.file_id, p._file_id
     FROM ${staged.relation} p JOIN gold_parts g ON g.path = p.filename
     WHERE gold_js_text(p._file_id) IS DISTINCT FROM g.file_id
     ORDER BY g.path LIMIT 1`,
  );
  const found = reader.getRows()[0];
  if (!found) return;
  const [key, fileId, other] = found;
  throw new GoldInputError(`part ${String(key)} of ${String(fileId)} holds a row of ${String(other)}`);
}
