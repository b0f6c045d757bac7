import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import type { RejectionCode } from '../../contracts/events/file-rejected.ts';
import type { ControlTotals, RowCounts } from '../../contracts/events/file-validated.ts';
import type { DedupCounts } from '../../contracts/events/records-deduplicated.ts';

/** Amount per ISO 4217 currency in minor units, as decimal strings (the events' shape). */
export type SumsByCurrency = Readonly<Record<string, string>>;

/** From the file registry / FileLanded v1. */
export interface LandedFacts {
  readonly fileId: string;
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly sizeBytes: number;
  readonly lineCount: number;
  readonly landingRunId: string;
  /** The file that replaced this one under the same landing key, if any. */
  readonly supersededBy: string | null;
}

/** From FileValidated v1 (the latest validation run of the file). */
export interface ValidatedFacts {
  readonly runId: string;
  readonly counts: RowCounts;
  readonly controlTotals: { readonly declared: ControlTotals | null; readonly computed: ControlTotals };
  readonly validTotals: ControlTotals;
}

/** From FileRejected v1. */
export interface RejectedFacts {
  readonly runId: string;
  readonly code: RejectionCode;
  readonly reason: string;
  readonly counts: RowCounts;
}

/** From RecordsDeduplicated v1 (the latest dedup run of the file): counts, and rows and amounts of each outcome. */
export interface DeduplicatedFacts {
  readonly runId: string;
  readonly counts: DedupCounts;
  readonly totals: {
    /** Curated: the unique rows kept. */
    readonly unique: ControlTotals;
    readonly duplicates: ControlTotals;
    readonly conflicts: ControlTotals;
  };
}

export const DEDUP_OUTCOMES = ['unique', 'duplicates', 'conflicts'] as const;

/** Everything known about one file of the partner, dataset and date; a stage not reached yet is null. */
export interface FileFacts {
  readonly landed: LandedFacts;
  readonly validated: ValidatedFacts | null;
  readonly rejected: RejectedFacts | null;
  readonly deduplicated: DeduplicatedFacts | null;
}

/** One reconciliation: one partner, dataset and business date, every file landed for it. */
export interface ReconcileInput {
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly reconRunId: string;
  readonly files: readonly FileFacts[];
}

/** How far a file got. */
export type FileStatus = 'LANDED' | 'VALIDATED' | 'REJECTED' | 'DEDUPLICATED';

export function statusOf(file: FileFacts): FileStatus {
  if (file.rejected) return 'REJECTED';
  if (file.deduplicated) return 'DEDUPLICATED';
  if (file.validated) return 'VALIDATED';
  return 'LANDED';
}
