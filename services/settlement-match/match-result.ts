import type { MatchingWindow } from './business-dates.ts';
import type { MatchableSettlement, MatchableTransaction } from './rows.ts';

/** How many transactions and settlements a group joins; N:M is never a match. */
export type GroupShape = '1:1' | '1:N' | 'N:1';

/** Transactions and settlements joined by equal key values in one pass. */
export interface MatchGroup {
  /** Name of the pass that formed the group. */
  readonly rule: string;
  /** The key value both sides share. */
  readonly key: string;
  readonly shape: GroupShape;
  /** In canonical order (business date, id, lineage). */
  readonly transactions: readonly MatchableTransaction[];
  readonly settlements: readonly MatchableSettlement[];
}

/** Money of a single-currency group, in minor units of `currency`. */
export interface GroupTotals {
  readonly currency: string;
  /** Σ transaction amounts. */
  readonly expectedMinor: bigint;
  /** Σ settlement amounts, plus Σ fees under `net` fee treatment: what the settlements account for. */
  readonly settledMinor: bigint;
  /** Σ settlement fees, always reported. */
  readonly feeMinor: bigint;
  /** settledMinor − expectedMinor. */
  readonly differenceMinor: bigint;
}

/** A group that settles its transactions within tolerance. */
export interface MatchedGroup extends MatchGroup, GroupTotals {}

/** Age of an open item: whole business days from its business date to the run's asOf. */
export interface OpenItemAge {
  readonly ageDays: number;
  /** Older than the partner's settlementWaitDays. */
  readonly aged: boolean;
  /** This is the last run whose window still holds the item: report it for write-off or follow-up. */
  readonly leavesWindow: boolean;
}

/** One transaction with instalments that do not yet reach its amount: open, with what is outstanding. */
export interface PartiallySettledGroup extends MatchGroup, GroupTotals, OpenItemAge {
  /** expectedMinor − settledMinor, same sign as the transaction. */
  readonly outstandingMinor: bigint;
}

/** Why a transaction is still open. */
export type UnmatchedReason = 'NO_SETTLEMENT' | 'AMBIGUOUS_REFERENCE';

export interface UnmatchedTransaction extends OpenItemAge {
  readonly transaction: MatchableTransaction;
  readonly reason: UnmatchedReason;
}

/** Why a settlement pays nothing known. */
export type OrphanReason = 'NO_TRANSACTION' | 'AMBIGUOUS_REFERENCE';

export interface OrphanSettlement {
  readonly settlement: MatchableSettlement;
  readonly ageDays: number;
  readonly reason: OrphanReason;
}

/** A group whose sides belong together by key but whose money does not agree. */
export type AmountMismatch =
  | ({ readonly group: MatchGroup; readonly cause: 'AMOUNT' | 'FEE' } & GroupTotals)
  | {
      readonly group: MatchGroup;
      readonly cause: 'CURRENCY';
      readonly transactionCurrencies: readonly string[];
      readonly settlementCurrencies: readonly string[];
    };

/** How many rows ended where; the conservation equations hold for every result (see README). */
export interface MatchCounts {
  readonly transactions: number;
  readonly settlements: number;
  readonly matchedGroups: number;
  readonly matchedTransactions: number;
  readonly matchedSettlements: number;
  /** Partially settled groups, one transaction each. */
  readonly partiallySettled: number;
  readonly partiallySettledSettlements: number;
  readonly unmatchedTransactions: number;
  /** Open transactions (unmatched or partially settled) past settlementWaitDays. */
  readonly agedTransactions: number;
  readonly orphanSettlements: number;
  /** Mismatched groups. */
  readonly amountMismatches: number;
  readonly mismatchedTransactions: number;
  readonly mismatchedSettlements: number;
}

/** Everything one run of matching decided, in canonical order. */
export interface MatchResult {
  readonly partner: string;
  readonly asOf: string;
  readonly window: MatchingWindow;
  readonly matched: readonly MatchedGroup[];
  readonly partiallySettled: readonly PartiallySettledGroup[];
  readonly unmatchedTransactions: readonly UnmatchedTransaction[];
  readonly orphanSettlements: readonly OrphanSettlement[];
  readonly amountMismatches: readonly AmountMismatch[];
  readonly counts: MatchCounts;
}
