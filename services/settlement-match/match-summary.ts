import type { MatchCounts, MatchResult } from './match-result.ts';
import type { MatchableSettlement, MatchableTransaction } from './rows.ts';

/** Sums per currency in minor units as decimal strings, currencies in code order (SettlementsMatched shape). */
export type CurrencySums = Record<string, string>;

export interface MatchSums {
  readonly transactions: {
    total: CurrencySums;
    matched: CurrencySums;
    partiallySettled: CurrencySums;
    unmatched: CurrencySums;
    mismatched: CurrencySums;
  };
  readonly settlementAmounts: SettlementBuckets;
  readonly settlementFees: SettlementBuckets;
  readonly outstanding: CurrencySums;
}

interface SettlementBuckets {
  total: CurrencySums;
  matched: CurrencySums;
  partiallySettled: CurrencySums;
  orphan: CurrencySums;
  mismatched: CurrencySums;
}

/**
 * Add amounts per currency; bigint throughout, rendered once.
 * @example sumByCurrency([['EUR', 5n], ['EUR', -2n]]) // { EUR: '3' }
 */
export function sumByCurrency(amounts: Iterable<readonly [string, bigint]>): CurrencySums {
  const totals = new Map<string, bigint>();
  for (const [currency, minor] of amounts) totals.set(currency, (totals.get(currency) ?? 0n) + minor);
  return Object.fromEntries(
    [...totals.keys()].sort().map((currency) => [currency, String(totals.get(currency))]),
  );
}

const amounts = (rows: readonly MatchableTransaction[] | readonly MatchableSettlement[]) =>
  rows.map((row) => [row.currency, row.amount_minor] as const);
const fees = (rows: readonly MatchableSettlement[]) =>
  rows.map((row) => [row.currency, row.fee_minor] as const);

/**
 * Counts and per-currency sums of a result, in the SettlementsMatched v1 payload shape. Totals are summed
 * from the rows read, buckets from the result, so the contract's conservation refinements check matching.
 */
export function summarizeMatch(
  result: MatchResult,
  read: { transactions: readonly MatchableTransaction[]; settlements: readonly MatchableSettlement[] },
): { counts: MatchCounts; sums: MatchSums } {
  const mismatchGroups = result.amountMismatches.map((mismatch) => mismatch.group);
  const tx = {
    matched: result.matched.flatMap((group) => group.transactions),
    partiallySettled: result.partiallySettled.flatMap((group) => group.transactions),
    unmatched: result.unmatchedTransactions.map((item) => item.transaction),
    mismatched: mismatchGroups.flatMap((group) => group.transactions),
  };
  const st = {
    matched: result.matched.flatMap((group) => group.settlements),
    partiallySettled: result.partiallySettled.flatMap((group) => group.settlements),
    orphan: result.orphanSettlements.map((item) => item.settlement),
    mismatched: mismatchGroups.flatMap((group) => group.settlements),
  };
  const bucketsOf = (measure: (rows: readonly MatchableSettlement[]) => (readonly [string, bigint])[]) => ({
    total: sumByCurrency(measure(read.settlements)),
    matched: sumByCurrency(measure(st.matched)),
    partiallySettled: sumByCurrency(measure(st.partiallySettled)),
    orphan: sumByCurrency(measure(st.orphan)),
    mismatched: sumByCurrency(measure(st.mismatched)),
  });
  return {
    counts: result.counts,
    sums: {
      transactions: {
        total: sumByCurrency(amounts(read.transactions)),
        matched: sumByCurrency(amounts(tx.matched)),
        partiallySettled: sumByCurrency(amounts(tx.partiallySettled)),
        unmatched: sumByCurrency(amounts(tx.unmatched)),
        mismatched: sumByCurrency(amounts(tx.mismatched)),
      },
      settlementAmounts: bucketsOf(amounts),
      settlementFees: bucketsOf(fees),
      outstanding: sumByCurrency(
        result.partiallySettled.map((group) => [group.currency, group.outstandingMinor]),
      ),
    },
  };
}
