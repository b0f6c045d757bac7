import { z } from 'zod';
import { BusinessDateSchema, defineEvent, ObjectRefSchema } from './envelope.ts';

export const DatasetNameSchema = z.enum(['transactions', 'settlements']);

export const FileLandedPayloadSchema = z
  .object({
    fileId: z.string().regex(/^f_[0-9a-f]{24}$/),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    sizeBytes: z.number().int().nonnegative(),
    /** Physical lines after the header (data rows plus any trailer); schema-validate counts records exactly. */
    lineCount: z.number().int().nonnegative(),
    partner: z.string().regex(/^[a-z0-9-]{2,40}$/),
    dataset: DatasetNameSchema,
    businessDate: BusinessDateSchema,
    fileName: z.string().min(1),
    landing: ObjectRefSchema,
    /** Immutable copy to validate from: the raw bucket, or the restricted prefix when card numbers were found. */
    raw: ObjectRefSchema,
    /** Values that look like card numbers (13-19 digits, Luhn-valid) were found; the file never went to raw. */
    cardDataDetected: z.boolean(),
    /** The previous file delivered under the same landing key with different bytes, if any. */
    supersedesFileId: z.string().nullable(),
    schemaV: z.number().int().positive(),
  })
  .strict();

export const FileLandedV1 = defineEvent({
  type: 'FileLanded',
  version: 1,
  description:
    'A partner file was received, hashed, registered once per content hash and copied to an immutable location. Carries the claim check to that copy. The completeness watchdog may re-publish it unchanged (same eventId) when the file stalls. A rerun (services/rerun) publishes it again for the same file and raw snapshot under a new runId, so the file is processed again beside its earlier runs.',
  payload: FileLandedPayloadSchema,
});
