import { sumControlTotals } from '../../../contracts/events/records-deduplicated.ts';
import { runUnit } from '../../../lib/work-units/run-unit.ts';
import type { UnitFanOut } from '../../../lib/work-units/unit-ledger.ts';
import { type WorkUnit, WorkUnitSchema } from '../../../lib/work-units/work-unit.ts';
import {
  type DedupFileInput,
  type DedupOutcome,
  type DedupSlice,
  dedupRows,
  payloadOf,
  type RecordsDeduplicatedPayload,
} from '../dedup.ts';
import { SilverMismatchError } from '../errors.ts';
import { allBuckets } from '../key-history/key-buckets.ts';
import { dedupQuarantinePrefix, uniquePrefix } from '../object-keys.ts';
import type { DedupConfig, DedupPorts } from '../ports.ts';

/** One work unit: deduplicate slice `index` of a run of a file; the slice and the file come from the ledger. */
export const DedupUnitSchema = WorkUnitSchema;
export type DedupUnit = WorkUnit;

/** Where the run comes from: what the joined RecordsDeduplicated names as its cause. */
export interface DedupUnitsOrigin {
  readonly correlationId: string;
  /** The FileValidated event that started the run. */
  readonly causationId: string;
}

/** What dedup records once per run for its units. */
export interface DedupUnitsWork {
  readonly input: DedupFileInput;
  readonly origin: DedupUnitsOrigin;
  readonly slices: readonly DedupSlice[];
}

/** A slice's outcome as the ledger keeps it (part keys only: the folders are the run's). */
export interface DedupUnitResult {
  readonly index: number;
  readonly counts: DedupOutcome['counts'];
  readonly totals: DedupOutcome['totals'];
  readonly unique: readonly string[];
  readonly duplicates: readonly string[];
  readonly conflicts: readonly string[];
}

/** Sizes: files above `aboveRows` valid rows are deduplicated in units of about `rowsPerUnit` rows. */
export interface DedupUnitSizes {
  readonly aboveRows: number;
  readonly rowsPerUnit: number;
}

/** What deduplicating in units needs beyond the whole-file ports. */
export type DedupUnitsDeps = UnitFanOut<DedupUnitsWork, DedupUnitResult, WorkUnit, DedupUnitSizes>;

/**
 * Cut the history's buckets into contiguous slices, one per unit: about `rowsPerUnit` of the file's rows each
 * (keys spread evenly over buckets), and never more units than buckets.
 * @example sliceBuckets(12_000_000, 1, 5_000_000) // 3 slices: buckets 0-4, 5-9, a-f
 */
export function sliceBuckets(valid: number, bucketDigits: number, rowsPerUnit: number): DedupSlice[] {
  const buckets = allBuckets(bucketDigits);
  const count = Math.min(buckets.length, Math.max(1, Math.ceil(valid / rowsPerUnit)));
  return Array.from({ length: count }, (_, index) => ({
    index,
    buckets: buckets.slice(
      Math.floor((index * buckets.length) / count),
      Math.floor(((index + 1) * buckets.length) / count),
    ),
  }));
}

/**
 * Record the work (once per run: a redelivered FileValidated finds the first one) and send one unit per slice.
 * Every unit is sent again on a repeat: a unit whose slice has a result does nothing but look for the join.
 */
export async function dispatchDedupUnits(
  input: DedupFileInput,
  origin: DedupUnitsOrigin,
  config: DedupConfig,
  deps: DedupUnitsDeps,
): Promise<number> {
  const slices = sliceBuckets(input.valid, config.historyBucketDigits, deps.sizes.rowsPerUnit);
  const recorded = await deps.ledger.recordWork(input.fileId, input.runId, { input, origin, slices });
  await deps.dispatch(
    recorded.work.slices.map((slice) => ({ fileId: input.fileId, runId: input.runId, index: slice.index })),
  );
  return recorded.work.slices.length;
}

/** A unit's end: the joined payload when this unit completed the set (to be committed), else nothing yet. */
export type DedupUnitEnd =
  | {
      readonly kind: 'joined';
      readonly input: DedupFileInput;
      readonly origin: DedupUnitsOrigin;
      readonly payload: RecordsDeduplicatedPayload;
    }
  | { readonly kind: 'waiting'; readonly done: number; readonly units: number };

/**
 * Deduplicate one slice unless its result is recorded, record it (counted once), and when every slice has a
 * result, join them (`lib/work-units/run-unit.ts`).
 */
export async function dedupUnit(
  unit: DedupUnit,
  ports: DedupPorts,
  config: DedupConfig,
  ledger: DedupUnitsDeps['ledger'],
): Promise<DedupUnitEnd> {
  const end = await runUnit({ scope: unit.fileId, runId: unit.runId, index: unit.index }, ledger, {
    noun: 'dedup unit',
    recovery: 'rerun the file',
    count: (work) => work.slices.length,
    run: async (work, index) => {
      const slice = work.slices[index] as DedupSlice;
      return resultOf(slice.index, await dedupRows(work.input, ports, config, slice));
    },
  });
  if (end.kind === 'waiting') return end;
  const { input, origin } = end.work;
  return { kind: 'joined', input, origin, payload: joinUnits(input, end.results, config) };
}

function resultOf(index: number, outcome: DedupOutcome): DedupUnitResult {
  return {
    index,
    counts: outcome.counts,
    totals: outcome.totals,
    unique: outcome.unique.parts,
    duplicates: outcome.duplicates?.parts ?? [],
    conflicts: outcome.conflicts?.parts ?? [],
  };
}

/**
 * The file's payload from its units' results, in unit order: counts and totals added, part lists concatenated.
 * Refuses results whose rows do not add up to the file's valid rows (a slice lost or counted twice).
 */
export function joinUnits(
  input: DedupFileInput,
  results: readonly DedupUnitResult[],
  config: DedupConfig,
): RecordsDeduplicatedPayload {
  const ordered = [...results].sort((a, b) => a.index - b.index);
  const counts = { unique: 0, duplicates: 0, conflicts: 0 };
  for (const result of ordered)
    for (const outcome of ['unique', 'duplicates', 'conflicts'] as const)
      counts[outcome] += result.counts[outcome];
  const rows = counts.unique + counts.duplicates + counts.conflicts;
  if (rows !== input.valid)
    throw new SilverMismatchError(
      input.fileId,
      `its ${ordered.length} dedup units hold ${rows} rows, ${input.valid} announced`,
    );
  const total = (outcome: 'unique' | 'duplicates' | 'conflicts') =>
    sumControlTotals(...ordered.map((result) => result.totals[outcome]));
  const entries = (kind: 'duplicates' | 'conflicts') => {
    const parts = ordered.flatMap((result) => [...result[kind]]);
    const prefix = dedupQuarantinePrefix(input, kind);
    return parts.length === 0 ? null : { bucket: config.buckets.quarantine, prefix, parts };
  };
  return payloadOf(input, {
    counts,
    totals: { unique: total('unique'), duplicates: total('duplicates'), conflicts: total('conflicts') },
    unique: {
      bucket: config.buckets.silver,
      prefix: uniquePrefix(input),
      parts: ordered.flatMap((result) => [...result.unique]),
    },
    duplicates: entries('duplicates'),
    conflicts: entries('conflicts'),
  });
}
