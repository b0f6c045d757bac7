import { onSchedule as runCompletenessWatchdog } from '../services/completeness-watchdog/handler.ts';
import { onSweepSchedule as sweepOutbox } from '../services/outbox-relay/handler.ts';
import { handler as rerunHandler } from '../services/rerun/handler.ts';
import type { UrlFunction } from './function-urls.ts';
import { type Runtime, type RuntimeOptions, startRuntime } from './runtime.ts';

export interface PipelineOptions extends Omit<RuntimeOptions, 'workers'> {
  /** How often the relay sweeps the outbox offline (there is no stream trigger). */
  readonly relayIntervalMs?: number;
  /** How often the completeness watchdog runs offline. */
  readonly watchdogIntervalMs?: number;
  /** Extra or replacement worker loops (tests). */
  readonly workers?: RuntimeOptions['workers'];
}

/**
 * The whole offline pipeline: the runtime with every service handler from the topology, the outbox
 * relay and the completeness watchdog. `npm start`, the CLI and the pipeline tests all start it this way.
 */
export function startPipeline(options: PipelineOptions = {}): Promise<Runtime> {
  return startRuntime({
    ...options,
    // The rerun Lambda handler itself, behind its IAM-authorised URL as in AWS (`finledger rerun --stage`).
    functionUrls: { rerun: rerunHandler as unknown as UrlFunction, ...options.functionUrls },
    workers: {
      'outbox-relay': {
        run: async () => {
          await sweepOutbox();
        },
        intervalMs: options.relayIntervalMs ?? 200,
      },
      'completeness-watchdog': {
        run: async () => {
          await runCompletenessWatchdog();
        },
        intervalMs: options.watchdogIntervalMs ?? 5_000,
      },
      ...options.workers,
    },
  });
}
