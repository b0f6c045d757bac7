import type { DatasetName } from '../../config/partners.ts';
import type { CurrencySums } from './generate/day-truth.ts';

/**
 * What a pipeline concluded about one partner's day, in the shape the ground truth is compared in: the end-to-end
 * report and the bare SQL job both fill it, so "injected vs reported" is one table for both.
 */
export interface PartnerCounts {
  readonly partner: string;
  readonly rows: Record<DatasetName, number>;
  /** Rows quarantined by validation. */
  readonly invalid: Record<DatasetName, number>;
  /** Rows dropped as exact duplicates (within the file and across files). */
  readonly duplicates: Record<DatasetName, number>;
  /** Rows quarantined as conflicts (same key, other content). */
  readonly conflicts: Record<DatasetName, number>;
  readonly matching: MatchingCounts | null;
  readonly validSums: Record<DatasetName, CurrencySums>;
}

/** settlement-match's counts for a partner's date (`SettlementsMatched` v1 `counts`). */
export interface MatchingCounts {
  readonly transactions: number;
  readonly matched: number;
  readonly partiallySettled: number;
  readonly unmatched: number;
  /** Transactions in amount-mismatched groups. */
  readonly mismatched: number;
  readonly settlements: number;
  readonly orphanSettlements: number;
}

/** Add minor-unit sums per currency (decimal strings). */
export function addSums(into: Map<string, bigint>, sums: Record<string, string> | undefined): void {
  for (const [currency, minor] of Object.entries(sums ?? {}))
    into.set(currency, (into.get(currency) ?? 0n) + BigInt(minor));
}

/** Sums as a record of decimal strings, currencies sorted. */
export const sumsRecord = (sums: Map<string, bigint>): CurrencySums =>
  Object.fromEntries(
    [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => [currency, minor.toString()]),
  );
