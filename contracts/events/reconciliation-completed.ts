import { z } from 'zod';
import { BusinessDateSchema, CurrencyCodeSchema, defineEvent, MinorUnitsSchema } from './envelope.ts';
import { DatasetNameSchema } from './file-landed.ts';

/** What kind of disagreement a break is; each maps to a runbook step. */
export const ReconBreakKindSchema = z.enum([
  /** Nothing was landed for the partner, dataset and business date. */
  'NO_FILES',
  /** A file has not reached the end of the chain (still LANDED, or validated but not deduplicated). */
  'FILE_NOT_TERMINAL',
  /** A whole file was refused: its rows are held back, none reached curated. */
  'FILE_REJECTED',
  /** A stage's own equation fails (rowsIn = valid + quarantined; valid = unique + duplicates + conflicts). */
  'CONSERVATION',
  /** What one stage handed on is not what the next stage took in. */
  'ROWS_LOST_BETWEEN_STAGES',
  /** The trailer declared another row count than the file holds. */
  'DECLARED_VS_COMPUTED_ROWS',
  /** The trailer declared another sum for a currency than the file holds. */
  'DECLARED_VS_COMPUTED_AMOUNT',
  /** The valid rows' sum for a currency is not unique + duplicates + conflicts. */
  'VALID_VS_CURATED_AMOUNT',
]);
export type ReconBreakKind = z.infer<typeof ReconBreakKindSchema>;

const AMOUNT_KINDS: readonly ReconBreakKind[] = ['DECLARED_VS_COMPUTED_AMOUNT', 'VALID_VS_CURATED_AMOUNT'];

/** One disagreement, with the figures on both sides and what to do about it. */
export const ReconBreakSchema = z
  .object({
    kind: ReconBreakKindSchema,
    /** Null only for NO_FILES. */
    fileId: z.string().nullable(),
    /** Set exactly on amount breaks: money is compared per currency only. */
    currency: CurrencyCodeSchema.nullable(),
    /** The equation that failed, e.g. "rowsIn = valid + quarantined". */
    check: z.string().min(1),
    expected: z.string(),
    actual: z.string(),
    /** actual − expected in rows, on row breaks. */
    differenceRows: z.number().int().nullable(),
    /** actual − expected in minor units of `currency`, on amount breaks. */
    differenceMinor: MinorUnitsSchema.nullable(),
    /** Operator-facing: what went wrong and what to do next. */
    cause: z.string().min(1),
  })
  .strict()
  .refine(
    (b) =>
      AMOUNT_KINDS.includes(b.kind)
        ? b.currency !== null && b.differenceMinor !== null && b.differenceRows === null
        : b.currency === null && b.differenceMinor === null,
    { message: 'amount breaks carry currency and differenceMinor; row breaks carry neither' },
  );
export type ReconBreak = z.infer<typeof ReconBreakSchema>;

const count = z.number().int().nonnegative();

/** Rows and files at every stage, summed over the partner's files of the date. */
export const StageRowsSchema = z
  .object({
    files: z
      .object({
        landed: count,
        /** Files whose trailer declared control totals. */
        declared: count,
        validated: count,
        rejected: count,
        deduplicated: count,
      })
      .strict(),
    /** Physical lines after the header, as counted at landing (records + trailer; a quoted newline adds one). */
    landedLines: count,
    landedBytes: count,
    /** Declared record count of the files that declared one; null when none did. */
    declared: count.nullable(),
    /** Records read from validated files (rowsIn). */
    read: count,
    valid: count,
    quarantined: count,
    /** Records read from rejected files: held back with the file. */
    heldBack: count,
    unique: count,
    duplicates: count,
    conflicts: count,
  })
  .strict();

/** Money at every stage for one currency, minor units as decimal strings. */
export const StageAmountsSchema = z
  .object({
    /** Sum declared by the files that declared one; null when none did. */
    declared: MinorUnitsSchema.nullable(),
    /** Computed over every record of validated files (read). */
    read: MinorUnitsSchema,
    valid: MinorUnitsSchema,
    /** read − valid: the parseable amounts of quarantined rows. */
    quarantined: MinorUnitsSchema,
    /** Curated: the unique rows kept by dedup. */
    unique: MinorUnitsSchema,
    duplicates: MinorUnitsSchema,
    conflicts: MinorUnitsSchema,
  })
  .strict();

/** How one input file entered the reconciliation: which run produced each of its stages. */
export const ReconInputFileSchema = z
  .object({
    fileId: z.string().min(1),
    status: z.enum(['LANDED', 'VALIDATED', 'REJECTED', 'DEDUPLICATED']),
    landingRunId: z.string().min(1),
    validationRunId: z.string().nullable(),
    dedupRunId: z.string().nullable(),
    /** The file that replaced this one under the same landing key, if any. */
    supersededBy: z.string().nullable(),
  })
  .strict();

export const ReconciliationCompletedPayloadSchema = z
  .object({
    partner: z.string().min(1),
    dataset: DatasetNameSchema,
    businessDate: BusinessDateSchema,
    reconRunId: z.string().min(1),
    /** True exactly when there is no break. */
    balanced: z.boolean(),
    totals: z
      .object({
        rows: StageRowsSchema,
        amounts: z.record(CurrencyCodeSchema, StageAmountsSchema),
      })
      .strict(),
    breaks: z.array(ReconBreakSchema),
    inputs: z.object({ files: z.array(ReconInputFileSchema) }).strict(),
  })
  .strict()
  .refine((p) => p.balanced === (p.breaks.length === 0), {
    message: 'balanced must be true exactly when there is no break',
    path: ['balanced'],
  });
export type ReconciliationCompletedPayload = z.infer<typeof ReconciliationCompletedPayloadSchema>;

export const ReconciliationCompletedV1 = defineEvent({
  type: 'ReconciliationCompleted',
  version: 1,
  description:
    "Control totals of one partner's files for a dataset and business date were compared stage by stage (declared → read → valid → curated), per currency, with row conservation checked at every stage. Balanced, or with each break's amounts and cause.",
  payload: ReconciliationCompletedPayloadSchema,
});
