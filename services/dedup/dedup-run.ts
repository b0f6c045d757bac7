import type { DatasetContract, DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import type { PartsRef } from '../../contracts/events/envelope.ts';
import type { DedupTotals } from '../../contracts/events/records-deduplicated.ts';
import type { ClaimContext } from './cross-file.ts';
import type { ConflictEntry, DuplicateEntry, EntryParts, UniqueParts } from './dedup-outputs.ts';
import type { DedupConfig, DedupPorts } from './ports.ts';
import type { RecordIdentity } from './record-identity.ts';

/** What dedup needs from FileValidated v1 (payload + the envelope's runId). */
export interface DedupFileInput {
  readonly fileId: string;
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly schemaV: number;
  readonly sha256: string;
  readonly runId: string;
  /** FileValidated's `counts.valid`: the rows the silver parts hold. */
  readonly valid: number;
  readonly silver: PartsRef;
}

/** A work unit's share of a file: the rows whose key falls in these history buckets (units/dedup-units.ts). */
export interface DedupSlice {
  readonly index: number;
  readonly buckets: readonly string[];
}

/** What deduplicating a file's rows (all of them, or a slice) produced: counts, totals and the parts written. */
export interface DedupOutcome {
  readonly counts: { readonly unique: number; readonly duplicates: number; readonly conflicts: number };
  readonly totals: DedupTotals;
  readonly unique: PartsRef;
  readonly duplicates: PartsRef | null;
  readonly conflicts: PartsRef | null;
}

/** Everything one dedup run holds while it writes a file's outcomes. */
export interface Run {
  readonly input: DedupFileInput;
  readonly contract: DatasetContract;
  readonly identity: RecordIdentity;
  readonly ports: DedupPorts;
  readonly config: DedupConfig;
  readonly claim: ClaimContext;
  readonly unique: UniqueParts;
  readonly duplicates: EntryParts<DuplicateEntry>;
  readonly conflicts: EntryParts<ConflictEntry>;
}
