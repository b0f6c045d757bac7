import type { MatchingRules, MatchPass } from '../../../config/matching-rules.ts';
import { sqlText } from '../../../lib/duckdb/set-engine.ts';

/**
 * The open rows settlement-match starts from: each partner's unique transactions of a settling type, and its unique
 * settlements. Passes delete the rows they decide; what is left at the end is unmatched or orphaned.
 */
export function openRowsSql(rules: readonly MatchingRules[]): string[] {
  const settling = rules
    .map(
      (rule) =>
        `(partner = ${sqlText(rule.partner)} AND type IN (${rule.settlingTypes.map(sqlText).join(', ')}))`,
    )
    .join(' OR ');
  return [
    `CREATE TABLE open_tx AS SELECT * FROM transactions_dedup WHERE outcome = 'unique' AND (${settling || 'false'})`,
    `CREATE TABLE open_st AS SELECT * FROM settlements_dedup WHERE outcome = 'unique'`,
    'CREATE TABLE settling AS SELECT partner, count(*) AS transactions FROM open_tx GROUP BY 1',
    'CREATE TABLE match_groups (partner VARCHAR, pass VARCHAR, outcome VARCHAR, transactions BIGINT, settlements BIGINT)',
  ];
}

/** A currency's tolerance in minor units: its own (`byCurrency`), else the partner default. */
const toleranceSql = (rules: MatchingRules, currency: string): string => {
  const own = Object.entries(rules.toleranceMinor.byCurrency);
  const fallback = rules.toleranceMinor.default.toString();
  return own.length === 0
    ? fallback
    : `CASE ${currency} ${own.map(([code, minor]) => `WHEN ${sqlText(code)} THEN ${String(minor)}`).join(' ')} ELSE ${fallback} END`;
};

/**
 * One pass of a partner's rules (services/settlement-match/README.md "Decisions") as SQL over the rows still open:
 * 1. Group open transactions by `transactionField` and open settlements by `settlementField` (an empty key sits out).
 * 2. Keep groups of an allowed shape: 1:1, 1:N with instalments, N:1 with payout batches.
 * 3. Decide each: CURRENCY mismatch when currencies differ; matched within tolerance; partially settled when one
 *    transaction is settled short on its side of zero and instalments are allowed; else a mismatch.
 * 4. Record the groups and close their rows.
 * Shapes a pass does not allow stay open here; the service resolves them one to one in canonical order (ambiguous
 * references). The generated day holds none, so the counts agree.
 */
export function passSql(rules: MatchingRules, pass: MatchPass): string[] {
  const partner = sqlText(rules.partner);
  const settled = rules.feeTreatment === 'net' ? 'amount + fee' : 'amount';
  const tolerance = toleranceSql(rules, 't_currency');
  const shapes = [
    'nt = 1 AND ns = 1',
    ...(pass.partialSettlements ? ['nt = 1 AND ns > 1'] : []),
    ...(pass.payoutBatches ? ['nt > 1 AND ns = 1'] : []),
  ];
  return [
    `CREATE OR REPLACE TABLE pass_groups AS
      WITH t AS (
        SELECT "${pass.transactionField}" AS k, count(*) AS nt, sum(amount_minor) AS expected,
          min(currency) AS t_currency, count(DISTINCT currency) AS t_currencies
        FROM open_tx WHERE partner = ${partner} AND "${pass.transactionField}" IS NOT NULL GROUP BY 1),
      s AS (
        SELECT "${pass.settlementField}" AS k, count(*) AS ns, sum(amount_minor) AS amount, sum(fee_minor) AS fee,
          min(currency) AS s_currency, count(DISTINCT currency) AS s_currencies
        FROM open_st WHERE partner = ${partner} AND "${pass.settlementField}" IS NOT NULL GROUP BY 1),
      g AS (
        SELECT t.*, s.* EXCLUDE (k), ${settled} AS settled, ${tolerance} AS tolerance,
          CASE WHEN expected < 0 THEN -1 ELSE 1 END AS direction
        FROM t JOIN s USING (k) WHERE (${shapes.join(') OR (')}))
      SELECT k, nt, ns,
        CASE
          WHEN t_currencies > 1 OR s_currencies > 1 OR t_currency <> s_currency THEN 'mismatch'
          WHEN abs(settled - expected) <= tolerance THEN 'matched'
          WHEN ${pass.partialSettlements} AND nt = 1 AND settled * direction > 0
            AND settled * direction < expected * direction - tolerance THEN 'partial'
          ELSE 'mismatch'
        END AS outcome
      FROM g`,
    `INSERT INTO match_groups SELECT ${partner}, ${sqlText(pass.name)}, outcome, nt, ns FROM pass_groups`,
    `DELETE FROM open_tx WHERE partner = ${partner} AND "${pass.transactionField}" IN (SELECT k FROM pass_groups)`,
    `DELETE FROM open_st WHERE partner = ${partner} AND "${pass.settlementField}" IN (SELECT k FROM pass_groups)`,
  ];
}

/** Per partner: settlement-match's counts (`SettlementsMatched` v1 `counts`) from the groups and what stayed open. */
export const matchCountsSql = `
  WITH tx AS (SELECT * FROM settling),
  st AS (SELECT partner, count(*) AS settlements FROM settlements_dedup WHERE outcome = 'unique' GROUP BY 1),
  groups AS (SELECT partner,
      sum(transactions) FILTER (WHERE outcome = 'matched') AS matched,
      count(*) FILTER (WHERE outcome = 'partial') AS partially_settled,
      sum(transactions) FILTER (WHERE outcome = 'mismatch') AS mismatched
    FROM match_groups GROUP BY 1),
  open_t AS (SELECT partner, count(*) AS unmatched FROM open_tx GROUP BY 1),
  open_s AS (SELECT partner, count(*) AS orphans FROM open_st GROUP BY 1)
  SELECT st.partner, coalesce(tx.transactions, 0) AS transactions, coalesce(groups.matched, 0) AS matched,
    coalesce(groups.partially_settled, 0) AS partially_settled, coalesce(open_t.unmatched, 0) AS unmatched,
    coalesce(groups.mismatched, 0) AS mismatched, st.settlements, coalesce(open_s.orphans, 0) AS orphans
  FROM st LEFT JOIN tx USING (partner) LEFT JOIN groups USING (partner) LEFT JOIN open_t USING (partner)
    LEFT JOIN open_s USING (partner)
  ORDER BY 1`;
