import { z } from 'zod';
import { BusinessDateSchema, defineEvent, PartsRefSchema } from './envelope.ts';
import { DatasetNameSchema } from './file-landed.ts';

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

export const RecordsDeduplicatedPayloadSchema = z
  .object({
    fileId: z.string().regex(/^f_[0-9a-f]{24}$/),
    partner: z.string(),
    dataset: DatasetNameSchema,
    businessDate: BusinessDateSchema,
    schemaV: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    counts: DedupCountsSchema,
    /**
     * Parquet parts of the unique rows (silver columns + lineage) under silver/dedup/…/run_id=…/schema_v=…/file_id=…/.
     * Always at least one part: when no row is unique it is one empty part, so readers always get the schema.
     */
    unique: PartsRefSchema,
    /** JSON Lines of dropped exact duplicates, each with its own lineage and that of the row it copies. */
    duplicates: PartsRefSchema.nullable(),
    /** JSON Lines of quarantined conflicts (same key, different content), each with both versions' lineage. */
    conflicts: PartsRefSchema.nullable(),
  })
  .strict()
  .refine((p) => (p.duplicates === null) === (p.counts.duplicates === 0), {
    message: 'duplicates must be null exactly when counts.duplicates is 0',
    path: ['duplicates'],
  })
  .refine((p) => (p.conflicts === null) === (p.counts.conflicts === 0), {
    message: 'conflicts must be null exactly when counts.conflicts is 0',
    path: ['conflicts'],
  });

export const RecordsDeduplicatedV1 = defineEvent({
  type: 'RecordsDeduplicated',
  version: 1,
  description:
    "A validated file's rows were checked for repeats by natural key and content fingerprint, within the file and against every earlier file of the partner (cross-file, cross-day). Unique rows are in silver as Parquet; exact duplicates were dropped and conflicts (same key, different content) quarantined, both with lineage; counts add up to the file's valid rows.",
  producers: ['dedup'],
  consumers: ['settlement-match', 'reconcile'],
  payload: RecordsDeduplicatedPayloadSchema,
});

export type DedupCounts = z.infer<typeof DedupCountsSchema>;
