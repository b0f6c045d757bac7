import type { DatasetName } from '../../config/partners.ts';
import type { FileStage } from '../../lib/file-registry/file-record.ts';

/** A file landed for the dataset and date, from the file registry. */
export interface LandedFileFact {
  readonly partner: string;
  readonly fileId: string;
  /** ISO 8601 instant with offset. */
  readonly landedAt: string;
  readonly stage: FileStage;
}

/** Rows read and quarantined over a partner's validated files of the date (FileValidated counts). */
export interface QuarantineFact {
  readonly partner: string;
  readonly rowsIn: number;
  readonly quarantined: number;
}

/** Conflicts (same key, different content) of a partner's files of the date still unresolved. */
export interface ConflictFact {
  readonly partner: string;
  readonly open: number;
}

/** The latest ReconciliationCompleted of a partner for the dataset and date. */
export interface ReconciliationFact {
  readonly partner: string;
  readonly reconRunId: string;
  readonly balanced: boolean;
  readonly breakCount: number;
  /** Files it covered (`inputs.files[].fileId`). */
  readonly fileIds: readonly string[];
  /** What it found curated (`totals.rows.unique`, `totals.amounts[*].unique`): gold must hold exactly this. */
  readonly curated: { readonly rows: number; readonly sums: Readonly<Record<string, string>> };
}

/** The latest settlement-match counts of a partner for the dataset and date. */
export interface MatchFact {
  readonly partner: string;
  readonly runId: string;
  readonly matched: number;
  /** Records that should have a counterpart. */
  readonly eligible: number;
  /**
   * Validated files of the partner and date (either dataset) the run did not read: a run that raced a newer one
   * and committed last. The gate fails until a run over every current file commits.
   */
  readonly notCovered?: readonly string[];
}

/** Everything the gates read; at most one fact of each kind per partner (the latest). */
export interface ReadyFacts {
  readonly files: readonly LandedFileFact[];
  readonly quarantine: readonly QuarantineFact[];
  readonly conflicts: readonly ConflictFact[];
  readonly reconciliations: readonly ReconciliationFact[];
  readonly matches: readonly MatchFact[];
}

export interface GateInput {
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly now: Date;
  readonly facts: ReadyFacts;
}

export type GateValue = number | string | boolean | null;

/** One gate as evaluated. */
export interface GateResult {
  /** `<gate>` or `<gate>:<partner>`. */
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
  readonly observed: GateValue;
  readonly threshold: GateValue;
}

export interface GateEvaluation {
  readonly dataset: DatasetName;
  readonly businessDate: string;
  /** True exactly when every gate passed (and there is at least one). */
  readonly ready: boolean;
  readonly gates: readonly GateResult[];
}
