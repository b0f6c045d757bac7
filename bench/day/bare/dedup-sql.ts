import type { DatasetName } from '../../../config/partners.ts';

/**
 * The business content a row is fingerprinted on (services/dedup/README.md): every business silver value in NFC,
 * instants as UTC microseconds (not their spelling), card BIN and last four (not the keyed fingerprint); lineage left out.
 */
const fingerprintSql = (dataset: DatasetName): string =>
  dataset === 'transactions'
    ? `md5(concat_ws(chr(31), nfc_normalize(type), amount_minor, currency, occurred_at_utc, nfc_normalize(merchant_id),
        coalesce(nfc_normalize(settlement_reference), ''), coalesce(left(card_number, 6), ''), coalesce(right(card_number, 4), '')))`
    : `md5(concat_ws(chr(31), nfc_normalize(transaction_reference), amount_minor, fee_minor, currency, settled_at_utc,
        coalesce(nfc_normalize(payout_batch_id), '')))`;

const naturalIdOf = (dataset: DatasetName): string =>
  dataset === 'transactions' ? 'transaction_id' : 'settlement_id';

/**
 * `<dataset>_dedup`: every valid row with its outcome, as dedup classifies a file against the partner's key history
 * (its README's table), files taken in their partner order:
 * - a key with two or more contents within one file: every row of it a conflict (`within-file`);
 * - a later row of the same key and content in the file: a duplicate (`within-file`);
 * - otherwise the file's first row of the key against the first file holding it: unique there, a duplicate with the
 *   same content elsewhere, a conflict with another content (`cross-file`).
 */
export function dedupSql(dataset: DatasetName): string {
  return `CREATE TABLE ${dataset}_dedup AS
    WITH keyed AS (
      SELECT *, nfc_normalize(${naturalIdOf(dataset)}) AS natural_key, ${fingerprintSql(dataset)} AS fingerprint
      FROM ${dataset}_rows WHERE problem IS NULL
    ),
    within AS (
      SELECT *,
        count(DISTINCT fingerprint) OVER (PARTITION BY partner, file, natural_key) AS contents,
        row_number() OVER (PARTITION BY partner, file, natural_key ORDER BY row_number) AS copy
      FROM keyed
    ),
    across AS (
      SELECT *,
        first_value(fingerprint) OVER (PARTITION BY partner, natural_key ORDER BY file_order, row_number) AS owner_fingerprint,
        row_number() OVER (PARTITION BY partner, natural_key ORDER BY file_order, row_number) AS rank_in_history
      FROM within WHERE contents = 1 AND copy = 1
    )
    SELECT * EXCLUDE (owner_fingerprint, rank_in_history),
      CASE WHEN rank_in_history = 1 THEN 'unique' WHEN fingerprint = owner_fingerprint THEN 'duplicate' ELSE 'conflict' END AS outcome,
      CASE WHEN rank_in_history = 1 THEN NULL ELSE 'cross-file' END AS scope
    FROM across
    UNION ALL BY NAME
    SELECT *, CASE WHEN contents > 1 THEN 'conflict' ELSE 'duplicate' END AS outcome, 'within-file' AS scope
    FROM within WHERE contents > 1 OR copy > 1`;
}
