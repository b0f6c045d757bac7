import { z } from 'zod';
import {
  BusinessDateSchema,
  defineEvent,
  type EventDetail,
  PartsRefSchema,
  parseDetailOfItsVersion,
} from './envelope.ts';
import { DatasetNameSchema } from './file-landed.ts';
import { type ControlTotals, ControlTotalsSchema } from './file-validated.ts';
import { PartsOrManifestRefSchema } from './parts-manifest-ref.ts';

/**
 * Row conservation for one file's dedup: every valid row is exactly one of unique, duplicate or conflict.
 * `valid` is FileValidated's `counts.valid`, so the chain rowsIn → valid → unique + duplicates + conflicts adds up.
 */
export const DedupCountsSchema = z
  .object({
    valid: z.number().int().nonnegative(),
    unique: z.number().int().nonnegative(),
    duplicates: z.number().int().nonnegative(),
    conflicts: z.number().int().nonnegative(),
  })
  .strict()
  .refine((c) => c.valid === c.unique + c.duplicates + c.conflicts, {
    message: 'valid must equal unique + duplicates + conflicts',
  });

/** The three outcomes of a file's dedup, as counted in `DedupCountsSchema`. */
export const DEDUP_OUTCOMES = ['unique', 'duplicates', 'conflicts'] as const;
export type DedupOutcome = (typeof DEDUP_OUTCOMES)[number];

/**
 * Control totals of each outcome: rows and the sum per currency of the dataset contract's control amount
 * (`control.silverAmountColumn`, the column schema-validate sums), in minor units. Summed over the three outcomes
 * they equal FileValidated's `validTotals`; that file-level check is reconcile's (`sumControlTotals`), since this
 * event does not carry validTotals.
 */
export const DedupTotalsSchema = z
  .object({
    unique: ControlTotalsSchema,
    duplicates: ControlTotalsSchema,
    conflicts: ControlTotalsSchema,
  })
  .strict()
  .refine(
    (totals) => DEDUP_OUTCOMES.every((outcome) => totals[outcome].rowCount > 0 || isEmpty(totals[outcome])),
    {
      message: 'an outcome without rows must have no sums',
    },
  );

function isEmpty(totals: ControlTotals): boolean {
  return Object.keys(totals.sums).length === 0;
}

/** The payload's fields; v1 and v2 differ only in how `duplicates` and `conflicts` name their parts. */
const payloadFields = {
  fileId: z.string().regex(/^f_[0-9a-f]{24}$/),
  partner: z.string(),
  dataset: DatasetNameSchema,
  businessDate: BusinessDateSchema,
  schemaV: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  counts: DedupCountsSchema,
  /** Rows and amounts per currency of each outcome; each `rowCount` equals its count. */
  totals: DedupTotalsSchema,
  /**
   * Parquet parts of the unique rows (silver columns + lineage) under silver/dedup/…/run_id=…/schema_v=…/file_id=…/.
   * Always at least one part: when no row is unique it is one empty part, so readers always get the schema.
   */
  unique: PartsRefSchema,
  /** JSON Lines of dropped exact duplicates, each with its own lineage and that of the row it copies. */
  duplicates: PartsRefSchema.nullable(),
  /** JSON Lines of quarantined conflicts (same key, different content), each with both versions' lineage. */
  conflicts: PartsRefSchema.nullable(),
};

/** What the conservation rules read of a payload of either version. */
interface ConservedPayload {
  readonly counts: DedupCounts;
  readonly totals: DedupTotals;
  readonly duplicates: unknown;
  readonly conflicts: unknown;
}

/** Outputs exactly for outcomes with rows, and totals over the rows counted (both versions). */
function checkConservation(p: ConservedPayload, context: z.core.$RefinementCtx<ConservedPayload>): void {
  for (const outcome of ['duplicates', 'conflicts'] as const) {
    if ((p[outcome] === null) !== (p.counts[outcome] === 0))
      context.addIssue({
        code: 'custom',
        path: [outcome],
        message: `${outcome} must be null exactly when counts.${outcome} is 0`,
      });
  }
  for (const outcome of DEDUP_OUTCOMES) {
    if (p.totals[outcome].rowCount !== p.counts[outcome])
      context.addIssue({
        code: 'custom',
        path: ['totals', outcome, 'rowCount'],
        message: `totals.${outcome}.rowCount must equal counts.${outcome}`,
      });
  }
}

export const RecordsDeduplicatedPayloadSchema = z
  .object(payloadFields)
  .strict()
  .superRefine(checkConservation);

/**
 * v2: `duplicates` and `conflicts` may each point to a parts manifest instead of listing their parts, so a file
 * that is nearly all duplicates of another still fits the bus (services/dedup/README.md says when).
 */
export const RecordsDeduplicatedV2PayloadSchema = z
  .object({
    ...payloadFields,
    /** JSON Lines of dropped exact duplicates: parts listed, or a manifest listing them (too many to list here). */
    duplicates: PartsOrManifestRefSchema.nullable(),
    /** JSON Lines of quarantined conflicts: parts listed, or a manifest listing them (too many to list here). */
    conflicts: PartsOrManifestRefSchema.nullable(),
  })
  .strict()
  .superRefine(checkConservation);

const DESCRIPTION =
  "A validated file's rows were checked for repeats by natural key and content fingerprint, within the file and against every earlier file of the partner (cross-file, cross-day). Unique rows are in silver as Parquet; exact duplicates were dropped and conflicts (same key, different content) quarantined, both with lineage; counts add up to the file's valid rows, and the control totals of the three outcomes (rows, amount per currency in minor units) add up to FileValidated's validTotals.";

export const RecordsDeduplicatedV1 = defineEvent({
  type: 'RecordsDeduplicated',
  version: 1,
  description: DESCRIPTION,
  payload: RecordsDeduplicatedPayloadSchema,
});

export const RecordsDeduplicatedV2 = defineEvent({
  type: 'RecordsDeduplicated',
  version: 2,
  description: `${DESCRIPTION} Since v2, duplicates or conflicts in more parts than an event lists (PARTS_LISTED_INLINE_MAX) point to a parts manifest (finledger-parts-manifest/v1: every part key in order, checked by count and sha256) instead of listing them; dedup publishes v2 only for such a file, v1 otherwise.`,
  payload: RecordsDeduplicatedV2PayloadSchema,
});

/** Every version consumers accept, for `parseEventRecordOf` and archive readers. */
export const RECORDS_DEDUPLICATED_VERSIONS = [RecordsDeduplicatedV1, RecordsDeduplicatedV2] as const;

/** A RecordsDeduplicated detail of either version: `unique`, counts and totals read the same in both. */
export type RecordsDeduplicatedDetail =
  | EventDetail<typeof RecordsDeduplicatedV1>
  | EventDetail<typeof RecordsDeduplicatedV2>;

/** An archived or delivered detail as RecordsDeduplicated of its own version; null when it is neither. */
export const parseRecordsDeduplicated = (detail: unknown): RecordsDeduplicatedDetail | null =>
  parseDetailOfItsVersion(detail, RECORDS_DEDUPLICATED_VERSIONS);

export type DedupCounts = z.infer<typeof DedupCountsSchema>;
export type DedupTotals = z.infer<typeof DedupTotalsSchema>;

/**
 * Add control totals: rows, and amounts per currency in bigint minor units (currencies sorted). What reconcile
 * compares with FileValidated's `validTotals`: `sumControlTotals(unique, duplicates, conflicts)`.
 * @example sumControlTotals({ rowCount: 1, sums: { EUR: '100' } }, { rowCount: 2, sums: { EUR: '-40', USD: '5' } })
 * // { rowCount: 3, sums: { EUR: '60', USD: '5' } }
 */
export function sumControlTotals(...totals: readonly ControlTotals[]): ControlTotals {
  const sums = new Map<string, bigint>();
  let rowCount = 0;
  for (const part of totals) {
    rowCount += part.rowCount;
    for (const [currency, minor] of Object.entries(part.sums))
      sums.set(currency, (sums.get(currency) ?? 0n) + BigInt(minor));
  }
  return {
    rowCount,
    sums: Object.fromEntries(
      [...sums.keys()].sort().map((currency) => [currency, (sums.get(currency) as bigint).toString()]),
    ),
  };
}
