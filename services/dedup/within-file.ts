import type { SetEngine } from '../../lib/duckdb/set-engine.ts';
import { sqlText } from '../../lib/duckdb/set-engine.ts';
import { SilverMismatchError } from './errors.ts';
import type { IdentitySql } from './sql/identity-sql.ts';

/** What one file's silver parts must hold: FileValidated's file id and valid count. */
export interface AnnouncedRows {
  readonly fileId: string;
  readonly valid: number;
}

/**
 * Load the rows of `silver` (a relation of silver columns: the file's staged parts, or a work unit's slice of them)
 * as (row_number, key, fingerprint) into `file_rows`, refusing rows of another file, a row number twice, and for a
 * whole file a count other than FileValidated announced (a slice's count is checked where the units are joined).
 */
export async function loadFileRows(
  engine: SetEngine,
  silver: string,
  identity: IdentitySql,
  announced: AnnouncedRows,
  wholeFile: boolean,
): Promise<void> {
  await engine.db.run(
    `CREATE TABLE file_rows AS
     SELECT _row_number::BIGINT AS row_number, _file_id AS file_id, ${identity.key} AS key, ${identity.fingerprint} AS fingerprint
     FROM ${silver}`,
  );
  const check = await engine.db.runAndReadAll(
    `SELECT count(*)::BIGINT AS total, count(DISTINCT row_number)::BIGINT AS lines,
            min(file_id) FILTER (WHERE file_id IS DISTINCT FROM ${sqlText(announced.fileId)}) AS foreign_file
     FROM file_rows`,
  );
  const [total, lines, foreign] = check.getRows()[0] ?? [];
  if (foreign !== null && foreign !== undefined)
    throw new SilverMismatchError(announced.fileId, `the parts hold rows of ${String(foreign)}`);
  if (wholeFile && Number(total) !== announced.valid)
    throw new SilverMismatchError(announced.fileId, `${Number(total)} rows, ${announced.valid} announced`);
  if (Number(lines) !== Number(total))
    throw new SilverMismatchError(announced.fileId, 'a row number appears more than once');
}

/**
 * Classify every row against the rest of its file, as `routed(row_number, key, fingerprint, within, other_row, bucket)`:
 * - `conflict`: the key has two or more contents in the file; every row of it is quarantined, none kept.
 *   `other_row` is the first row with the other content (for the key's first content) or the key's first row;
 * - `duplicate`: a later row of the key with the first row's content; `other_row` is that first row;
 * - `candidate`: the key's first row, to be checked against the partner's key history in its `bucket`
 *   (`bucketSql`, key-history/key-buckets.ts).
 */
export async function classifyWithinFile(engine: SetEngine, bucketSql: string): Promise<void> {
  await engine.db.run(`
    CREATE TABLE routed AS
    WITH firsts AS (
      SELECT key, arg_min(fingerprint, row_number) AS first_fp, min(row_number) AS first_row
      FROM file_rows GROUP BY key
    ),
    conflicted AS (
      SELECT r.key, min(r.row_number) AS conflict_row
      FROM file_rows r JOIN firsts f USING (key)
      WHERE r.fingerprint <> f.first_fp GROUP BY r.key
    )
    SELECT r.row_number, r.key, r.fingerprint,
      CASE WHEN c.key IS NOT NULL THEN 'conflict'
           WHEN r.row_number <> f.first_row THEN 'duplicate'
           ELSE 'candidate' END AS within,
      CASE WHEN c.key IS NOT NULL AND r.fingerprint = f.first_fp THEN c.conflict_row
           ELSE f.first_row END AS other_row,
      ${bucketSql} AS bucket
    FROM file_rows r JOIN firsts f USING (key) LEFT JOIN conflicted c USING (key)`);
}
