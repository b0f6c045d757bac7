/**
 * How often each defect is injected into a generated day, as a share of a partner's transactions (or settlements).
 * Low enough that every readiness gate but open conflicts passes (quarantine ≤ 200 / 100 bp, matching ≥ 95 %), so the
 * day reaches a verdict through every stage; each kind is injected at least once whatever the size.
 */
export interface DayRates {
  readonly invalidTransactions: number;
  readonly invalidSettlements: number;
  readonly duplicatesWithinFile: number;
  readonly duplicatesCrossFile: number;
  readonly conflictsCrossFile: number;
  readonly settlementDuplicatesWithinFile: number;
  readonly missingSettlements: number;
  /** Only for partners whose rules allow instalments (`partialSettlements`). */
  readonly partialSettlements: number;
  /** Clean 1:N: two instalments that add up (partners with instalments). Must not be flagged. */
  readonly instalmentPairs: number;
  readonly amountMismatches: number;
  /** Clean N:1: three payments paid as one line (partners with a payout-batch pass). Must not be flagged. */
  readonly payoutBatches: number;
  readonly orphanSettlements: number;
}

/** The rates `npm run bench` generates with: about 0.5 % of a day's records carry a defect. */
export const DEFAULT_DAY_RATES: DayRates = {
  invalidTransactions: 0.001,
  invalidSettlements: 0.0005,
  duplicatesWithinFile: 0.0005,
  duplicatesCrossFile: 0.0005,
  conflictsCrossFile: 0.0002,
  settlementDuplicatesWithinFile: 0.0002,
  missingSettlements: 0.002,
  partialSettlements: 0.001,
  instalmentPairs: 0.001,
  amountMismatches: 0.001,
  payoutBatches: 0.0005,
  orphanSettlements: 0.001,
};

/**
 * How many rows a rate gives out of `rows`, at least `floor` so every kind is present on a small day.
 * @example injectedCount(0.001, 20_000) // 20
 */
export const injectedCount = (rate: number, rows: number, floor = 1): number =>
  Math.max(floor, Math.round(rate * rows));
