import { z } from 'zod';

/** A work unit: one numbered piece of a file's run, sent as JSON to its worker's queue (topology `units`). */
export const WorkUnitSchema = z.object({
  fileId: z.string().min(1),
  runId: z.string().min(1),
  index: z.number().int().nonnegative(),
});
export type WorkUnit = z.infer<typeof WorkUnitSchema>;
