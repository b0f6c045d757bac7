import type { SetEngine } from '../../lib/duckdb/set-engine.ts';
import { sqlText } from '../../lib/duckdb/set-engine.ts';
import { FingerprintDriftError } from './errors.ts';
import type { RowLineage } from './ports.ts';

/** What a new key record says about its owner: this run's row of this file. */
export interface ClaimContext {
  readonly fileId: string;
  readonly runId: string;
  readonly businessDate: string;
  readonly sha256: string;
  readonly fingerprintVersion: number;
  readonly nowSeconds: number;
  readonly expiresAt: number;
}

/**
 * Start `verdicts` with the rows decided within the file (within-file.ts: `conflict`, `duplicate`); the
 * candidates join it bucket by bucket once their bucket's claims are published ({@link keepBucketVerdicts}).
 */
export async function startVerdicts(engine: SetEngine): Promise<void> {
  await engine.db.run(`
    CREATE TABLE verdicts AS
    SELECT row_number, key, fingerprint, other_row, bucket, within AS verdict,
      NULL::VARCHAR AS owner_fingerprint, NULL::VARCHAR AS owner_file_id, NULL::VARCHAR AS owner_run_id,
      NULL::BIGINT AS owner_row_number, NULL::VARCHAR AS owner_business_date, NULL::VARCHAR AS owner_sha256
    FROM routed WHERE within <> 'candidate'`);
}

/** The history buckets the file's candidates fall in, in order. */
export async function candidateBuckets(engine: SetEngine): Promise<string[]> {
  const found = await engine.db.runAndReadAll(
    `SELECT DISTINCT bucket FROM routed WHERE within = 'candidate' ORDER BY bucket`,
  );
  return found.getRows().map(([bucket]) => String(bucket));
}

/**
 * Classify the file's candidates of some history buckets against the live key records of those buckets
 * (`history`, a relation over their segments), as `bucket_verdicts`: every candidate row of the buckets with
 * - `claim`: no live record holds the key, so this file takes it;
 * - `own`: this same file holds it (a retry, a redelivery, a rerun with a new runId): unique again;
 * - `duplicate-across` / `conflict-across`: another file holds it with the same / other content, owner columns set.
 * Re-run after a refused swap against the bucket's longer history: only the verdicts of the new keys can change.
 */
export async function classifyAcrossFiles(
  engine: SetEngine,
  history: string,
  context: ClaimContext,
  buckets: readonly string[],
): Promise<void> {
  const candidates = `(SELECT * FROM routed WHERE within = 'candidate' AND bucket IN (${buckets.map(sqlText).join(', ')}))`;
  await engine.db.run(`
    CREATE OR REPLACE TABLE owners AS
    SELECT h.* FROM ${history} h
    WHERE h.key IN (SELECT key FROM ${candidates})
    QUALIFY row_number() OVER (PARTITION BY h.key ORDER BY h.expires_at DESC, h.file_id) = 1`);
  await engine.db.run(`
    CREATE OR REPLACE TABLE bucket_verdicts AS
    SELECT r.row_number, r.key, r.fingerprint, r.other_row, r.bucket,
      CASE WHEN o.key IS NULL THEN 'claim'
           WHEN o.file_id = ${sqlText(context.fileId)} THEN 'own'
           WHEN o.fingerprint = r.fingerprint THEN 'duplicate-across'
           ELSE 'conflict-across' END AS verdict,
      o.fingerprint AS owner_fingerprint, o.file_id AS owner_file_id, o.run_id AS owner_run_id,
      o.row_number AS owner_row_number, o.business_date AS owner_business_date, o.sha256 AS owner_sha256
    FROM ${candidates} r LEFT JOIN owners o ON o.key = r.key`);
  await refuseFingerprintDrift(engine, context.fileId);
}

/** These buckets' claims are published (or they had none): their verdicts are final. */
export async function keepBucketVerdicts(engine: SetEngine, buckets: readonly string[]): Promise<void> {
  if (buckets.length === 0) return;
  await engine.db.run(
    `INSERT INTO verdicts BY NAME SELECT * FROM bucket_verdicts WHERE bucket IN (${buckets.map(sqlText).join(', ')})`,
  );
}

/** A key this file owns under another fingerprint means the canonical form changed under it: stop, never reclassify. */
async function refuseFingerprintDrift(engine: SetEngine, fileId: string): Promise<void> {
  const drifted = await engine.db.runAndReadAll(
    `SELECT key, row_number FROM bucket_verdicts WHERE verdict = 'own' AND owner_fingerprint <> fingerprint ORDER BY row_number LIMIT 1`,
  );
  const [key, rowNumber] = drifted.getRows()[0] ?? [];
  if (key !== undefined) throw new FingerprintDriftError(String(key), fileId, Number(rowNumber));
}

/** The new key records this run would add to a bucket's history: one per claimed key, owned by its row. */
export function claimedRecords(context: ClaimContext, bucket: string): string {
  return `SELECT key, fingerprint, ${context.fingerprintVersion} AS fingerprint_version,
    ${sqlText(context.fileId)} AS file_id, ${sqlText(context.runId)} AS run_id, row_number,
    ${sqlText(context.businessDate)} AS business_date, ${sqlText(context.sha256)} AS sha256,
    ${context.expiresAt}::BIGINT AS expires_at
  FROM bucket_verdicts WHERE verdict = 'claim' AND bucket = ${sqlText(bucket)}`;
}

/** Keys each classified bucket's history would gain; a bucket absent has every candidate already decided. */
export async function claimsPerBucket(engine: SetEngine): Promise<Map<string, number>> {
  const counted = await engine.db.runAndReadAll(
    `SELECT bucket, count(*)::BIGINT FROM bucket_verdicts WHERE verdict = 'claim' GROUP BY bucket`,
  );
  return new Map(counted.getRows().map(([bucket, claims]) => [String(bucket), Number(claims)]));
}

/**
 * A key owner's lineage from a row holding a segment's owner columns: a segment row itself (`file_id`, …) or a
 * verdict row, where they carry the `owner_` prefix.
 */
export function ownerLineage(row: Readonly<Record<string, unknown>>, prefix = 'owner_'): RowLineage {
  return {
    fileId: String(row[`${prefix}file_id`]),
    runId: String(row[`${prefix}run_id`]),
    rowNumber: Number(row[`${prefix}row_number`]),
    businessDate: String(row[`${prefix}business_date`]),
    sha256: String(row[`${prefix}sha256`]),
  };
}
