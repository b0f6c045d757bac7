import { z } from 'zod';
import { GateOutcomeSchema } from './dataset-ready.ts';
import { BusinessDateSchema, defineEvent } from './envelope.ts';
import { DatasetNameSchema } from './file-landed.ts';

export const DatasetBlockedPayloadSchema = z
  .object({
    dataset: DatasetNameSchema,
    businessDate: BusinessDateSchema,
    /** The evaluating run; nothing was written to gold under it. */
    runId: z.string().min(1),
    /** Every gate that failed, each with what was seen against what is required. */
    failedGates: z.array(GateOutcomeSchema).min(1),
    passedGates: z.array(GateOutcomeSchema),
  })
  .strict();
export type DatasetBlockedPayload = z.infer<typeof DatasetBlockedPayloadSchema>;

export const DatasetBlockedV1 = defineEvent({
  type: 'DatasetBlocked',
  version: 1,
  description:
    'At least one readiness gate of a dataset and business date failed, so no gold was published; lists each failed gate with its detail, observed value and threshold. A later file or rerun evaluates the gates again.',
  payload: DatasetBlockedPayloadSchema,
});
