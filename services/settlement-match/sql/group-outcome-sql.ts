import type { MatchingRules } from '../../../config/matching-rules.ts';
import { sqlText } from '../../../lib/duckdb/set-engine.ts';

type MoneyRules = Pick<MatchingRules, 'toleranceMinor' | 'feeTreatment'>;

const hugeint = (value: bigint): string => `${value.toString()}::HUGEINT`;

/**
 * A currency's tolerance in minor units, as `toleranceFor`: its own (`byCurrency`), else the partner default.
 * @example toleranceSql({ toleranceMinor: { default: 0n, byCurrency: { JPY: 1n } } }, 'currency') // "CASE currency WHEN 'JPY' THEN 1::HUGEINT ELSE 0::HUGEINT END"
 */
export function toleranceSql(rules: Pick<MatchingRules, 'toleranceMinor'>, currency: string): string {
  const own = Object.entries(rules.toleranceMinor.byCurrency).filter(
    (entry): entry is [string, bigint] => entry[1] !== undefined,
  );
  const fallback = hugeint(rules.toleranceMinor.default);
  if (own.length === 0) return fallback;
  const cases = own.map(([code, minor]) => `WHEN ${sqlText(code)} THEN ${hugeint(minor)}`).join(' ');
  return `CASE ${currency} ${cases} ELSE ${fallback} END`;
}

/**
 * `evaluateGroup` as SQL over `candidates(grp, key, shape, instalments, nt, one_currency, currency, expected, amount, fee)`
 * (money HUGEINT; `currency` meaningful only when `one_currency`). Gives `kind` (matched | partial | mismatch),
 * `cause` of a mismatch (CURRENCY | FEE | AMOUNT), the totals and `outstanding` of a partial group:
 * 1. More than one currency: CURRENCY mismatch, no totals (no FX in settlements v1).
 * 2. |settled − expected| within the currency's tolerance: matched.
 * 3. Instalments allowed, one transaction, settled short on its side of zero by more than the tolerance: partial.
 * 4. Otherwise a mismatch: FEE when the fee alone explains the difference, else AMOUNT.
 */
export function groupOutcomeSql(rules: MoneyRules): string {
  const settled = rules.feeTreatment === 'net' ? 'amount + fee' : 'amount';
  const feeFree = rules.feeTreatment === 'net' ? 'settled - fee' : 'settled + fee';
  return `
    WITH totals AS (
      SELECT *, settled - expected AS difference, ${toleranceSql(rules, 'currency')} AS tolerance,
        CASE WHEN expected < 0 THEN -1 ELSE 1 END AS direction
      FROM (SELECT *, ${settled} AS settled FROM candidates)),
    decided AS (
      SELECT *, CASE
          WHEN NOT one_currency THEN 'mismatch'
          WHEN abs(difference) <= tolerance THEN 'matched'
          WHEN instalments AND nt = 1 AND settled * direction > 0
            AND settled * direction < expected * direction - tolerance THEN 'partial'
          ELSE 'mismatch' END AS kind
      FROM totals)
    SELECT grp, key, shape, kind,
      CASE WHEN kind <> 'mismatch' THEN NULL
           WHEN NOT one_currency THEN 'CURRENCY'
           WHEN fee <> 0 AND abs(${feeFree} - expected) <= tolerance THEN 'FEE'
           ELSE 'AMOUNT' END AS cause,
      CASE WHEN one_currency THEN currency END AS currency,
      expected, settled, fee, difference,
      CASE WHEN kind = 'partial' THEN expected - settled END AS outstanding
    FROM decided`;
}
