import type { DatasetName } from '../../../config/partners.ts';

/** Per-currency sums in minor units, as decimal strings (JSON has no bigint). */
export type CurrencySums = Record<string, string>;

/**
 * What was injected into one partner's day and what a correct pipeline must therefore report. Counts only: the bench
 * compares them with the end-to-end report and with the bare SQL job, both of which count the same things.
 */
export interface PartnerTruth {
  readonly partner: string;
  /** Data rows in the files (trailers excluded), per dataset. */
  readonly rows: Record<DatasetName, number>;
  /** Rows broken on purpose (one field each): quarantined by schema-validate. */
  readonly invalid: Record<DatasetName, number>;
  /** Exact copies of a row appended to the same file. */
  readonly duplicatesWithinFile: Record<DatasetName, number>;
  /** Exact copies of a transaction of the partner's first transactions file appended to its second. */
  readonly duplicatesCrossFile: number;
  /** Same transaction id as a row of the first file, another amount, appended to the second file. */
  readonly conflictsCrossFile: number;
  /** Valid payments once per key: what settlement-match counts as transactions to settle. */
  readonly settlingTransactions: number;
  /** Valid settlements once per key. */
  readonly settlements: number;
  /** Payments settled in full: 1:1, clean instalments (1:N) and payout-batch members (N:1). */
  readonly matchedTransactions: number;
  /** Payments given only their first instalment (partners whose rules allow instalments). */
  readonly partiallySettled: number;
  /** Payments with no settlement line, plus those whose only line was broken (quarantined). */
  readonly unmatched: number;
  /** Payments whose single settlement is 5 minor units over (every tolerance is at most 1). */
  readonly amountMismatches: number;
  /** Settlement lines naming no transaction. */
  readonly orphanSettlements: number;
  /** Sums of every valid row (duplicates and conflicts included: they are valid rows), per dataset. */
  readonly validSums: Record<DatasetName, CurrencySums>;
}

/** One generated partner file on disk and where it is delivered. */
export interface GeneratedFile {
  readonly path: string;
  readonly landingKey: string;
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly encoding: string;
  readonly bytes: number;
  readonly rows: number;
}

/** Everything the end-to-end run and the bare SQL job read: the files, their business date and the ground truth. */
export interface DayManifest {
  readonly seed: number;
  readonly businessDate: string;
  /** Records requested; `records` is what was written (data rows of every file). */
  readonly requestedRecords: number;
  readonly records: number;
  readonly bytes: number;
  readonly files: readonly GeneratedFile[];
  readonly partners: readonly PartnerTruth[];
  readonly generatedInSeconds: number;
}
