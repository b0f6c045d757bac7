import { parseArgs } from 'node:util';
import { RerunRequestError } from '../../services/rerun/errors.ts';
import type { RerunSummary } from '../../services/rerun/rerun-invocation.ts';
import type { RerunProgress } from '../../services/rerun/rerun-progress.ts';
import { parseRerunRequest } from '../../services/rerun/rerun-request.ts';
import type { ScopeVerdict } from '../../services/rerun/rerun-verdicts.ts';

export const RERUN_USAGE =
  'Usage: finledger rerun --from YYYY-MM-DD --to YYYY-MM-DD [--dataset D] [--partner P] [--run-id R] [--dry-run] [--json] [--timeout-seconds N] [--stage STAGE | --state-dir DIR]';

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  dataset: { type: 'string' },
  partner: { type: 'string' },
  'run-id': { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  'timeout-seconds': { type: 'string' },
  stage: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
} as const;

/** What `rerun --json` prints: the function's summary of the run, its files' progress and each touched date's verdict. */
export interface RerunReport {
  readonly summary: RerunSummary;
  readonly progress: RerunProgress;
  readonly verdicts: readonly ScopeVerdict[];
}

/**
 * `rerun --from … --to …`, on a deployed stage (`--stage`) or on the offline runtime of a state folder, through the
 * same code: the stage's rerun function URL, signed with the caller's credentials (offline the runtime serves that
 * URL and runs the pipeline meanwhile), then the run's files and verdicts followed in the stage's registry.
 * `--dry-run` only reads. Exit 0 done, 1 failure or timeout, 2 bad arguments or a refused request, 3 files skipped.
 */
export async function rerunCommand(args: string[], root: string): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${RERUN_USAGE}`);
    return 2;
  }
  if (!values.from || !values.to) {
    console.error(RERUN_USAGE);
    return 2;
  }
  const request = {
    from: values.from,
    to: values.to,
    dataset: values.dataset,
    partner: values.partner,
    runId: values['run-id'],
  };
  try {
    // Checked before anything starts: a typo costs nothing. Who asks is the signer, filled in by the function.
    parseRerunRequest({ ...request, requestedBy: 'the signer' });
  } catch (error) {
    if (!(error instanceof RerunRequestError)) throw error;
    console.error(error.message);
    return 2;
  }
  const { withStage } = await import('./runtime-commands.ts');
  const { previewOnStage, rerunOnStage } = await import('./rerun-on-stage.ts');
  if (values['dry-run'])
    return withStage(values, root, 'inspect', (stage) =>
      previewOnStage(stage, request, { json: values.json }),
    );
  const offline = values.stage === undefined;
  return withStage(values, root, 'pipeline', (stage) =>
    rerunOnStage(stage, request, {
      json: values.json,
      timeoutMs: Number(values['timeout-seconds'] ?? (offline ? 600 : 3600)) * 1000,
      ...(offline ? { pollMs: 250 } : {}),
    }),
  );
}
