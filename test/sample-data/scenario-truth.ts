import type { DatasetName } from '../../config/partners.ts';
import type { BadFileName } from './bad-files.ts';
import type { DefectKind } from './defects.ts';

/** Record-level defects the scenario injects on top of invalid rows; each has exactly one expected outcome below. */
export type ScenarioDefectKind =
  | 'INVALID_ROW'
  | 'EXACT_DUPLICATE_WITHIN_FILE'
  | 'EXACT_DUPLICATE_CROSS_DAY'
  | 'CONFLICTING_DUPLICATE'
  | 'MISSING_SETTLEMENT'
  | 'PARTIAL_SETTLEMENT'
  | 'AMOUNT_MISMATCH'
  | 'LATE_FILE'
  | 'REDELIVERED_FILE'
  | 'REJECTED_FILE';

/** Where a defect was injected: a partner's file of a dataset and business date. */
export interface DefectSite {
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly businessDate: string;
}

/** One invalid row: quarantined by schema-validate with this row number and field. */
export interface ExpectedQuarantine extends DefectSite {
  readonly fileName: string;
  readonly row: number;
  readonly field: string;
  readonly defect: DefectKind;
}

/** A row dedup must drop (exact copy) or quarantine as a conflict (same key, other content), by natural id. */
export interface ExpectedDedupOutcome extends DefectSite {
  readonly id: string;
  readonly scope: 'within-file' | 'cross-file';
}

/** A transaction settlement-match must leave open or flag, by id and the business date of its row. */
export interface ExpectedOpenItem {
  readonly partner: string;
  readonly businessDate: string;
  readonly transactionId: string;
  /** Why: the defect itself, or the consequence of another defect (its settlement row was quarantined). */
  readonly because:
    | 'MISSING_SETTLEMENT'
    | 'SETTLEMENT_QUARANTINED'
    | 'PARTIAL_SETTLEMENT'
    | 'AMOUNT_MISMATCH';
  /** Partial settlements: what is still outstanding, minor units. Mismatches: settled − expected. */
  readonly amountMinor?: string;
}

/** A file landed after its cut-off. */
export interface ExpectedLateFile extends DefectSite {
  readonly fileName: string;
  readonly minutesLate: number;
  readonly policy: 'block' | 'accept';
}

/** The readiness verdict a dataset and business date must end with, and the exact gates that fail. */
export interface ExpectedVerdict {
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly verdict: 'READY' | 'BLOCKED';
  readonly failedGates: readonly string[];
  /** Why, for people reading a failing test. */
  readonly because: string;
}

/** Everything a correct pipeline must report about the scenario, and nothing more for its business dates. */
export interface ScenarioTruth {
  /** The dates every exception below belongs to; no other record of these dates may be flagged. */
  readonly businessDates: readonly string[];
  /** The date the broken deliveries (bad files) are for; only file outcomes and its verdict are asserted. */
  readonly brokenDeliveriesDate: string;
  readonly quarantined: readonly ExpectedQuarantine[];
  readonly duplicates: readonly ExpectedDedupOutcome[];
  readonly conflicts: readonly ExpectedDedupOutcome[];
  readonly unmatched: readonly ExpectedOpenItem[];
  readonly partiallySettled: readonly ExpectedOpenItem[];
  readonly mismatches: readonly ExpectedOpenItem[];
  /** Settlements with no transaction: none in this scenario (every settlement names a delivered payment or batch). */
  readonly orphanSettlements: readonly string[];
  readonly lateFiles: readonly ExpectedLateFile[];
  /** Landing keys delivered twice with the same bytes. */
  readonly redelivered: readonly string[];
  readonly rejectedFiles: readonly {
    readonly name: BadFileName;
    readonly landingKey: string;
    readonly code: string;
  }[];
  readonly verdicts: readonly ExpectedVerdict[];
  /** Every injected defect, by kind, for "none missed" checks and the README. */
  readonly injected: readonly { readonly kind: ScenarioDefectKind; readonly where: string }[];
}
