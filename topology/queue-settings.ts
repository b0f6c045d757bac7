import type { QueueSettings, WorkerSpec } from './types.ts';

const FOURTEEN_DAYS = 14 * 24 * 3600;
const FOUR_DAYS = 4 * 24 * 3600;

/** Queue settings derived from the function timeout, so the 6× rule cannot drift. */
export function queueFor(timeoutSeconds: number, maxReceiveCount = 5): QueueSettings {
  return {
    visibilityTimeoutSeconds: timeoutSeconds * 6,
    maxReceiveCount,
    retentionSeconds: FOUR_DAYS,
    dlqRetentionSeconds: FOURTEEN_DAYS,
  };
}

/**
 * A unit worker's queue: the service queues' settings, from the worker's own timeout (nothing to declare twice).
 * @example unitQueueSettings(worker).visibilityTimeoutSeconds // 6 × worker.function.timeoutSeconds
 */
export const unitQueueSettings = (worker: Pick<WorkerSpec, 'function'>): QueueSettings =>
  queueFor(worker.function.timeoutSeconds);

/** Units per invocation when the worker declares no `batchSize`: one, as a unit is sized to fill an invocation. */
export const DEFAULT_UNIT_BATCH_SIZE = 1;
