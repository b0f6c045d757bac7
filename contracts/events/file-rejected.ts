import { z } from 'zod';
import { defineEvent, ObjectRefSchema, PartsRefSchema } from './envelope.ts';

/** Why a whole file was refused. Each code maps to a runbook step in the README. */
export const RejectionCodeSchema = z.enum([
  'EMPTY_FILE',
  'HEADER_ONLY',
  'HEADER_MISMATCH',
  'DUPLICATE_HEADER',
  'ENCODING_INVALID',
  'ENCODING_MISMATCH',
  'COMPRESSED_OR_BINARY_FILE',
  'CR_ONLY_LINE_BREAKS',
  'MALFORMED_CSV',
  'RECORD_TOO_LARGE',
  'OBJECT_TOO_LARGE',
  'TRAILER_MISSING',
  'TRAILER_MISMATCH',
  'QUARANTINE_RATE_EXCEEDED',
  'UNROUTABLE_KEY',
  'UNKNOWN_PARTNER',
  'CARD_NUMBER_IN_OBJECT_KEY',
]);
export type RejectionCode = z.infer<typeof RejectionCodeSchema>;

export const FileRejectedPayloadSchema = z
  .object({
    /** Null only when the object was refused before it could be registered (unroutable key). */
    fileId: z.string().nullable(),
    partner: z.string().nullable(),
    dataset: z.string().nullable(),
    businessDate: z.string().nullable(),
    schemaV: z.number().int().positive().nullable(),
    code: RejectionCodeSchema,
    /** Operator-facing reason: what is wrong and what to ask the partner for. */
    reason: z.string().min(1),
    location: z
      .object({
        line: z.number().int().positive().optional(),
        column: z.number().int().positive().optional(),
        byteOffset: z.number().int().nonnegative().optional(),
        field: z.string().optional(),
      })
      .strict()
      .nullable(),
    /** Rows read before the decision: all of them are held back with the file (none reach silver). */
    counts: z
      .object({
        rowsIn: z.number().int().nonnegative(),
        valid: z.number().int().nonnegative(),
        quarantined: z.number().int().nonnegative(),
      })
      .strict(),
    source: ObjectRefSchema,
    /** Quarantined rows read before the decision, or the quarantined object itself (unroutable keys). */
    quarantine: PartsRefSchema.nullable(),
  })
  .strict();

export const FileRejectedV1 = defineEvent({
  type: 'FileRejected',
  version: 1,
  description:
    'A file could not be accepted as a whole (unreadable, malformed, truncated, wrong header, or too many bad rows). Nothing from it reaches silver; the reason says what to ask the partner for.',
  payload: FileRejectedPayloadSchema,
});
