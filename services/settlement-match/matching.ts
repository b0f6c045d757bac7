import type { MatchingRules } from '../../config/matching-rules.ts';
import { daysBetween, matchingWindow, openItemAge } from './business-dates.ts';
import { assertConservation } from './conservation.ts';
import { MatchInputError } from './errors.ts';
import { inputFiles } from './input-checks.ts';
import { runPass } from './key-groups.ts';
import type {
  AmountMismatch,
  MatchCounts,
  MatchedGroup,
  MatchGroup,
  MatchResult,
  OpenItemAge,
  OrphanSettlement,
  PartiallySettledGroup,
  UnmatchedTransaction,
} from './match-result.ts';
import {
  compareSettlements,
  compareTransactions,
  type MatchableSettlement,
  type MatchableTransaction,
  rowId,
} from './rows.ts';
import { assertRules } from './rules-check.ts';

/** Everything one matching run reads: all deduplicated rows of the partner within `matchingWindow(asOf, rules)`. */
export interface MatchRequest {
  readonly partner: string;
  /** The business date the run is for (the window's last day). */
  readonly asOf: string;
  readonly transactions: readonly MatchableTransaction[];
  readonly settlements: readonly MatchableSettlement[];
  readonly rules: MatchingRules;
}

const byFirstTransaction = (a: { group: MatchGroup } | MatchGroup, b: { group: MatchGroup } | MatchGroup) => {
  const first = (item: { group: MatchGroup } | MatchGroup) =>
    ('group' in item ? item.group : item).transactions[0] as MatchableTransaction;
  return compareTransactions(first(a), first(b));
};

/**
 * Match a partner's settlements to its transactions over a window of business dates, in memory. Pure and
 * deterministic: the same rows in any order give the same result, so a rerun after a late file is just
 * another call with more rows.
 *
 * The reference implementation, for tests only: settlement-match runs the same decisions as set work in DuckDB
 * (`matchWindowInSql`, sql/match-window.ts), and sql/match-window.duckdb.test.ts checks over seeded random windows
 * that both give the same records, counts and sums. Change a rule here and there together.
 * 1. Check the rules and the rows (partner, window, no row twice, one run per file); a breach is a bug and throws.
 * 2. Sort both sides canonically; run each pass of the rules over the rows still open.
 * 3. Report what is still open with its age, and count; every row lands in exactly one outcome.
 * @example matchSettlements({ partner: 'acme-bank', asOf: '2026-11-23', transactions, settlements, rules })
 */
export function matchSettlements(request: MatchRequest): MatchResult {
  const { partner, asOf, rules } = request;
  assertRules(rules);
  if (rules.partner !== partner) {
    throw new MatchInputError(partner, asOf, `the rules given are those of ${rules.partner}`);
  }
  const window = matchingWindow(asOf, rules);
  inputFiles(partner, asOf, window, request.transactions, request.settlements);

  let openTransactions = [...request.transactions].sort(compareTransactions);
  let openSettlements = [...request.settlements].sort(compareSettlements);
  const ambiguous = new Set<string>();
  const matched: MatchedGroup[] = [];
  const partiallySettled: PartiallySettledGroup[] = [];
  const amountMismatches: AmountMismatch[] = [];
  const ageOf = (businessDate: string): OpenItemAge => openItemAge(businessDate, asOf, rules);

  for (const pass of rules.passes) {
    const result = runPass(pass, openTransactions, openSettlements, rules);
    for (const { group, outcome } of result.decided) {
      if (outcome.kind === 'matched') matched.push({ ...group, ...outcome.totals });
      else if (outcome.kind === 'mismatch') amountMismatches.push(outcome.mismatch);
      else {
        const transaction = group.transactions[0] as MatchableTransaction;
        partiallySettled.push({
          ...group,
          ...outcome.totals,
          outstandingMinor: outcome.outstandingMinor,
          ...ageOf(transaction.business_date),
        });
      }
    }
    for (const id of result.ambiguous) ambiguous.add(id);
    openTransactions = [...result.openTransactions];
    openSettlements = [...result.openSettlements];
  }

  const unmatchedTransactions: UnmatchedTransaction[] = openTransactions.map((transaction) => ({
    transaction,
    reason: ambiguous.has(rowId(transaction)) ? 'AMBIGUOUS_REFERENCE' : 'NO_SETTLEMENT',
    ...ageOf(transaction.business_date),
  }));
  const orphanSettlements: OrphanSettlement[] = openSettlements.map((settlement) => ({
    settlement,
    ageDays: daysBetween(settlement.business_date, asOf),
    reason: ambiguous.has(rowId(settlement)) ? 'AMBIGUOUS_REFERENCE' : 'NO_TRANSACTION',
  }));

  const result = {
    partner,
    asOf,
    window,
    matched: matched.sort(byFirstTransaction),
    partiallySettled: partiallySettled.sort(byFirstTransaction),
    unmatchedTransactions,
    orphanSettlements,
    amountMismatches: amountMismatches.sort(byFirstTransaction),
  };
  const counts = countOutcomes(result, request.transactions.length, request.settlements.length);
  assertConservation(partner, asOf, counts);
  return { ...result, counts };
}

/** Count every outcome; pure bookkeeping over a result. */
export function countOutcomes(
  result: Omit<MatchResult, 'counts' | 'partner' | 'asOf' | 'window'>,
  transactions: number,
  settlements: number,
): MatchCounts {
  const rows = (groups: readonly MatchGroup[], side: 'transactions' | 'settlements') =>
    groups.reduce((total, group) => total + group[side].length, 0);
  const mismatched = result.amountMismatches.map((mismatch) => mismatch.group);
  return {
    transactions,
    settlements,
    matchedGroups: result.matched.length,
    matchedTransactions: rows(result.matched, 'transactions'),
    matchedSettlements: rows(result.matched, 'settlements'),
    partiallySettled: result.partiallySettled.length,
    partiallySettledSettlements: rows(result.partiallySettled, 'settlements'),
    unmatchedTransactions: result.unmatchedTransactions.length,
    agedTransactions:
      result.unmatchedTransactions.filter((item) => item.aged).length +
      result.partiallySettled.filter((item) => item.aged).length,
    orphanSettlements: result.orphanSettlements.length,
    amountMismatches: result.amountMismatches.length,
    mismatchedTransactions: rows(mismatched, 'transactions'),
    mismatchedSettlements: rows(mismatched, 'settlements'),
  };
}
