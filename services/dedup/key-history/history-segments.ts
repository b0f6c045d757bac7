import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SetEngine } from '../../../lib/duckdb/set-engine.ts';
import { sqlPaths, sqlText } from '../../../lib/duckdb/set-engine.ts';
import type { DedupObjects, HistorySegment } from '../ports.ts';

/** Columns of a segment, one row per accepted key (sorted by key, so readers can prune on row-group stats). */
const SEGMENT_COLUMNS = [
  ['key', 'VARCHAR'],
  ['fingerprint', 'VARCHAR'],
  ['fingerprint_version', 'INTEGER'],
  ['file_id', 'VARCHAR'],
  ['run_id', 'VARCHAR'],
  ['row_number', 'BIGINT'],
  ['business_date', 'VARCHAR'],
  ['sha256', 'VARCHAR'],
  ['expires_at', 'BIGINT'],
] as const;

const SEGMENT_NAMES = SEGMENT_COLUMNS.map(([name]) => name).join(', ');

/**
 * Stage a manifest's segments locally (once each per session) and return their paths in manifest order.
 * Segments are immutable, so a path staged for an earlier version is still right for a later one.
 */
export async function stageSegments(
  engine: SetEngine,
  objects: DedupObjects,
  bucket: string,
  segments: readonly HistorySegment[],
  staged: Map<string, string>,
): Promise<string[]> {
  const paths: string[] = [];
  for (const segment of segments) {
    let path = staged.get(segment.key);
    if (!path) {
      // Named by the segment's writer id (random per attempt), unique across the buckets of one session.
      path = await engine.stage(
        `history-${basename(segment.key)}`,
        await objects.getObject({ bucket, key: segment.key }),
      );
      staged.set(segment.key, path);
    }
    paths.push(path);
  }
  return paths;
}

/** Remove staged segments from the scratch folder once their bucket is done (the session's disk holds one bucket). */
export async function unstageSegments(staged: Map<string, string>): Promise<void> {
  await Promise.all([...staged.values()].map((path) => rm(path, { force: true })));
  staged.clear();
}

/** A relation of the live key records in the staged segments (none when there are no segments). */
export function liveRecords(paths: readonly string[], nowSeconds: number): string {
  if (paths.length === 0)
    return `(SELECT ${SEGMENT_COLUMNS.map(([name, type]) => `NULL::${type} AS ${name}`).join(', ')} WHERE false)`;
  return `(SELECT ${SEGMENT_NAMES} FROM read_parquet(${sqlPaths(paths)}) WHERE expires_at > ${nowSeconds})`;
}

/**
 * Write `select` (a relation with the segment's column names) as a local segment file sorted by key; its path
 * and rows. zstd: keys and hashes are high-entropy text, where it saves most over the default snappy.
 */
export async function writeSegment(
  engine: SetEngine,
  name: string,
  select: string,
): Promise<{ path: string; rows: number }> {
  const path = join(engine.folder, name);
  // COPY answers with the number of rows it wrote.
  const copied = await engine.db.runAndReadAll(
    `COPY (SELECT ${SEGMENT_NAMES} FROM (${select}) ORDER BY key) TO ${sqlText(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  return { path, rows: Number(copied.getRows()[0]?.[0] ?? 0) };
}
