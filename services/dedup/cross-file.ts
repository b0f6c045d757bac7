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
 * Classify the file's candidates against the live key records of the partner's history (`history`, a relation),
 * as `verdicts`: every routed row with
 * - `claim`: no live record holds the key, so this file takes it;
 * - `own`: this same file holds it (a retry, a redelivery, a rerun with a new runId): unique again;
 * - `duplicate-across` / `conflict-across`: another file holds it with the same / other content, owner columns set;
 * - `conflict` / `duplicate`: decided within the file (within-file.ts), kept as they are.
 * Re-run after a refused swap against the longer history: only the verdicts of the new keys can change.
 */
export async function classifyAcrossFiles(
  engine: SetEngine,
  history: string,
  context: ClaimContext,
): Promise<void> {
  await engine.db.run(`
    CREATE OR REPLACE TABLE owners AS
    SELECT h.* FROM ${history} h
    WHERE h.key IN (SELECT key FROM routed WHERE within = 'candidate')
    QUALIFY row_number() OVER (PARTITION BY h.key ORDER BY h.expires_at DESC, h.file_id) = 1`);
  await engine.db.run(`
    CREATE OR REPLACE TABLE verdicts AS
    SELECT r.row_number, r.key, r.fingerprint, r.other_row,
      CASE WHEN r.within <> 'candidate' THEN r.within
           WHEN o.key IS NULL THEN 'claim'
           WHEN o.file_id = ${sqlText(context.fileId)} THEN 'own'
           WHEN o.fingerprint = r.fingerprint THEN 'duplicate-across'
           ELSE 'conflict-across' END AS verdict,
      o.fingerprint AS owner_fingerprint, o.file_id AS owner_file_id, o.run_id AS owner_run_id,
      o.row_number AS owner_row_number, o.business_date AS owner_business_date, o.sha256 AS owner_sha256
    FROM routed r LEFT JOIN owners o ON o.key = r.key AND r.within = 'candidate'`);
  await refuseFingerprintDrift(engine, context.fileId);
}

/** A key this file owns under another fingerprint means the canonical form changed under it: stop, never reclassify. */
async function refuseFingerprintDrift(engine: SetEngine, fileId: string): Promise<void> {
  const drifted = await engine.db.runAndReadAll(
    `SELECT key, row_number FROM verdicts WHERE verdict = 'own' AND owner_fingerprint <> fingerprint ORDER BY row_number LIMIT 1`,
  );
  const [key, rowNumber] = drifted.getRows()[0] ?? [];
  if (key !== undefined) throw new FingerprintDriftError(String(key), fileId, Number(rowNumber));
}

/** The new key records this run would add to the history: one per claimed key, owned by its row. */
export function claimedRecords(context: ClaimContext): string {
  return `SELECT key, fingerprint, ${context.fingerprintVersion} AS fingerprint_version,
    ${sqlText(context.fileId)} AS file_id, ${sqlText(context.runId)} AS run_id, row_number,
    ${sqlText(context.businessDate)} AS business_date, ${sqlText(context.sha256)} AS sha256,
    ${context.expiresAt}::BIGINT AS expires_at
  FROM verdicts WHERE verdict = 'claim'`;
}

/** Rows the history would gain; 0 when every candidate is already decided. */
export async function countClaims(engine: SetEngine): Promise<number> {
  const counted = await engine.db.runAndReadAll(
    `SELECT count(*)::BIGINT FROM verdicts WHERE verdict = 'claim'`,
  );
  return Number(counted.getRows()[0]?.[0] ?? 0);
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
