import { z } from 'zod';
import {
  BusinessDateSchema,
  CurrencyCodeSchema,
  defineEvent,
  MinorUnitsSchema,
  PartsRefSchema,
} from './envelope.ts';
import { DatasetNameSchema } from './file-landed.ts';

/** Row conservation for one file: rowsIn = valid + quarantined, always. */
export const RowCountsSchema = z
  .object({
    rowsIn: z.number().int().nonnegative(),
    valid: z.number().int().nonnegative(),
    quarantined: z.number().int().nonnegative(),
  })
  .strict()
  .refine((c) => c.rowsIn === c.valid + c.quarantined, { message: 'rowsIn must equal valid + quarantined' });

export const ControlTotalsSchema = z
  .object({
    rowCount: z.number().int().nonnegative(),
    /** Sum of amounts per ISO 4217 currency, in minor units. */
    sums: z.record(CurrencyCodeSchema, MinorUnitsSchema),
  })
  .strict();

export const FileValidatedPayloadSchema = z
  .object({
    fileId: z.string(),
    partner: z.string(),
    dataset: DatasetNameSchema,
    businessDate: BusinessDateSchema,
    schemaV: z.number().int().positive(),
    sha256: z.string(),
    counts: RowCountsSchema,
    /** Parquet parts of the valid rows under silver/…/run_id=…/schema_v=…/. */
    silver: PartsRefSchema,
    /** JSON Lines of quarantined rows (row number, field, reason), or null when none. */
    quarantine: PartsRefSchema.nullable(),
    /** What the file's trailer line declared (null when the partner sends none; manifests are not read yet) and what was computed on all rows. */
    controlTotals: z
      .object({ declared: ControlTotalsSchema.nullable(), computed: ControlTotalsSchema })
      .strict(),
    /** Computed totals of the valid rows only. */
    validTotals: ControlTotalsSchema,
  })
  .strict();

export const FileValidatedV1 = defineEvent({
  type: 'FileValidated',
  version: 1,
  description:
    'Every row of a landed file was checked against its dataset contract; valid rows are in silver as Parquet and invalid rows in quarantine, with counts that add up.',
  payload: FileValidatedPayloadSchema,
});

export type RowCounts = z.infer<typeof RowCountsSchema>;
export type ControlTotals = z.infer<typeof ControlTotalsSchema>;
