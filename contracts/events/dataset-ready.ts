import { z } from 'zod';
import {
  BusinessDateSchema,
  CurrencyCodeSchema,
  defineEvent,
  MinorUnitsSchema,
  ObjectRefSchema,
  PartsRefSchema,
} from './envelope.ts';
import { DatasetNameSchema } from './file-landed.ts';

/** An observed value or threshold of a gate, as shown to finance and operations. */
export const GateValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** One readiness gate as evaluated: what was required, what was seen, and why it passed or failed. */
export const GateOutcomeSchema = z
  .object({
    /** `<gate>` or `<gate>:<partner>`, e.g. `quarantine-rate:acme-bank`. */
    name: z.string().min(1),
    detail: z.string().min(1),
    observed: GateValueSchema,
    threshold: GateValueSchema,
  })
  .strict();
export type GateOutcome = z.infer<typeof GateOutcomeSchema>;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

export const DatasetReadyPayloadSchema = z
  .object({
    dataset: DatasetNameSchema,
    businessDate: BusinessDateSchema,
    schemaV: z.number().int().positive(),
    /** The publishing run; also a segment of every gold key, so runs sit beside each other. */
    runId: z.string().min(1),
    /** gold/dataset=…/dt=…/run_id=…/part-NNNNN.parquet */
    gold: PartsRefSchema,
    /** The `_READY.json` marker beside the parts. */
    marker: ObjectRefSchema,
    /** SHA-256 of the canonical rows (see services/ready-publisher/README.md): equal for equal data, whatever the run. */
    contentHash: Sha256Schema,
    rowCount: z.number().int().nonnegative(),
    sums: z.record(CurrencyCodeSchema, MinorUnitsSchema),
    gates: z.array(GateOutcomeSchema).min(1),
  })
  .strict();
export type DatasetReadyPayload = z.infer<typeof DatasetReadyPayloadSchema>;

export const DatasetReadyV1 = defineEvent({
  type: 'DatasetReady',
  version: 1,
  description:
    'Every readiness gate of a dataset and business date passed (files on time, quarantine rate, open conflicts, reconciliation, matching rate); the gold partition and its ready marker were written under this run id, with a content hash equal across reruns over unchanged data.',
  payload: DatasetReadyPayloadSchema,
});
