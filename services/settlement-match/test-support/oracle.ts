import type { MatchingRules } from '../../../config/matching-rules.ts';
import { summarizeMatch } from '../match-summary.ts';
import { matchSettlements } from '../matching.ts';
import { type ResultRecord, resultRecords } from '../result-records.ts';
import type { MatchableSettlement, MatchableTransaction } from '../rows.ts';

/**
 * Split transactions into those the partner settles line by line (`rules.settlingTypes`) and the rest, counted
 * apart: what the SQL match does while loading the window.
 * @example bySettlingType([payment, refund], { settlingTypes: ['payment'] }) // { settling: [payment], notSettling: [refund] }
 */
export function bySettlingType(
  transactions: readonly MatchableTransaction[],
  rules: Pick<MatchingRules, 'settlingTypes'>,
): { settling: MatchableTransaction[]; notSettling: MatchableTransaction[] } {
  const types = new Set<string>(rules.settlingTypes);
  return {
    settling: transactions.filter((row) => types.has(row.type)),
    notSettling: transactions.filter((row) => !types.has(row.type)),
  };
}

/** What the reference implementation makes of a window: the outcome the SQL match must equal. */
export interface OracleOutcome {
  readonly records: readonly ResultRecord[];
  readonly counts: ReturnType<typeof summarizeMatch>['counts'];
  readonly sums: ReturnType<typeof summarizeMatch>['sums'];
  readonly notSettlingTransactions: number;
}

/**
 * The window matched in memory by `matchSettlements`, as settlement-match did before matching moved to DuckDB.
 * @example oracleMatch({ partner, asOf, rules, transactions, settlements }).records
 */
export function oracleMatch(request: {
  readonly partner: string;
  readonly asOf: string;
  readonly rules: MatchingRules;
  readonly transactions: readonly MatchableTransaction[];
  readonly settlements: readonly MatchableSettlement[];
}): OracleOutcome {
  const { settling, notSettling } = bySettlingType(request.transactions, request.rules);
  const read = { transactions: settling, settlements: request.settlements };
  const result = matchSettlements({ ...request, ...read });
  return {
    records: [...resultRecords(result)],
    ...summarizeMatch(result, read),
    notSettlingTransactions: notSettling.length,
  };
}
