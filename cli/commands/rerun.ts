import { parseArgs } from 'node:util';
import type { Runtime } from '../../runtime/runtime.ts';
import { RerunError, RerunRequestError } from '../../services/rerun/errors.ts';
import type { RerunPorts, VerdictPorts } from '../../services/rerun/ports.ts';
import { type RerunOutcome, startRerun } from '../../services/rerun/rerun.ts';
import { type RerunProgress, rerunProgress } from '../../services/rerun/rerun-progress.ts';
import { parseRerunRequest, type RerunInput } from '../../services/rerun/rerun-request.ts';
import { rerunVerdicts, type ScopeVerdict } from '../../services/rerun/rerun-verdicts.ts';
import { printJson, printText } from '../output.ts';
import { verdictLines } from './rerun-on-stage.ts';
import { withRuntime } from './runtime-commands.ts';

export const RERUN_USAGE =
  'Usage: finledger rerun --from YYYY-MM-DD --to YYYY-MM-DD [--dataset D] [--partner P] [--run-id R] [--json] [--timeout-seconds N] [--stage STAGE | --state-dir DIR]';

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
} as const;

/** What `rerun` printed and decided, for `--json` and tests. */
export interface RerunReport {
  readonly outcome: RerunOutcome;
  readonly progress: RerunProgress;
  readonly verdicts: readonly ScopeVerdict[];
}

/**
 * `rerun --from … --to …`: open the offline runtime on the state folder, rerun the range, wait for it, report.
 * Exit 0 when every file of the range is in the run and every touched day has a verdict, 3 when files were skipped
 * (each listed with what to do) or a verdict is missing, 1 on a failure or timeout, 2 on bad arguments.
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
  if (values.stage !== undefined) {
    const request = {
      from: values.from,
      to: values.to,
      dataset: values.dataset,
      partner: values.partner,
      runId: values['run-id'],
    };
    const { withStage } = await import('./runtime-commands.ts');
    const { rerunOnStage } = await import('./rerun-on-stage.ts');
    return withStage(values, root, 'inspect', (stage) =>
      rerunOnStage(stage, request, {
        json: values.json,
        timeoutMs: Number(values['timeout-seconds'] ?? 3600) * 1000,
      }),
    );
  }
  const input: RerunInput = {
    from: values.from,
    to: values.to,
    dataset: values.dataset,
    partner: values.partner,
    runId: values['run-id'],
    requestedBy: process.env.USER,
  };
  try {
    // Checked before the runtime starts: a typo costs nothing.
    parseRerunRequest(input);
  } catch (error) {
    if (!(error instanceof RerunRequestError)) throw error;
    console.error(error.message);
    return 2;
  }
  return withRuntime(values, root, 'pipeline', (runtime) =>
    runRerun(runtime, input, {
      json: values.json,
      timeoutMs: Number(values['timeout-seconds'] ?? 600) * 1000,
    }),
  );
}

/**
 * Rerun on a running pipeline: start (or resume) the run, wait until each of its files is terminal again and the
 * pipeline is idle, then print per dataset and business date the new verdict and whether gold kept its content hash.
 */
export async function runRerun(
  runtime: Runtime,
  input: RerunInput,
  options: { json?: boolean; timeoutMs?: number; ports?: { rerun: RerunPorts; verdicts: VerdictPorts } } = {},
): Promise<number> {
  const ports = options.ports ?? (await import('../../services/rerun/side-effects.ts')).sideEffects();
  let outcome: RerunOutcome;
  try {
    outcome = await startRerun(input, ports.rerun);
  } catch (error) {
    if (!(error instanceof RerunError)) throw error;
    console.error(error.message);
    return error instanceof RerunRequestError ? 2 : 1;
  }
  if (!options.json) printOutcome(outcome);
  const progress = await waitForRun(runtime, outcome, ports.rerun, options.timeoutMs ?? 600_000);
  const resume = `finledger rerun --run-id ${outcome.runId} --from ${outcome.run.from} --to ${outcome.run.to}${filters(outcome)}`;
  if (!progress.done) {
    const open = progress.open.map(
      (file) => `${file.fileId} (${file.partner} ${file.dataset} ${file.businessDate})`,
    );
    console.error(
      `${open.length} file(s) of run ${outcome.runId} are still open: ${open.join(', ')}. Check \`finledger dlq list\`, ` +
        `fix the cause and \`finledger dlq redrive <service>\`, then run \`${resume}\` again to wait for them.`,
    );
    return 1;
  }
  const verdicts = await rerunVerdicts(outcome.run, await ports.rerun.members(outcome.runId), ports.verdicts);
  if (options.json) printJson({ outcome, progress, verdicts } satisfies RerunReport);
  else {
    printVerdicts(outcome, progress, verdicts);
    if (outcome.skipped.length > 0)
      printText(
        `${outcome.skipped.length} file(s) skipped (reasons above) are not in this run; once resolved, \`${resume}\` adds them.`,
      );
  }
  return outcome.skipped.length > 0 || verdicts.some((verdict) => verdict.current.verdict === 'PENDING')
    ? 3
    : 0;
}

const filters = (outcome: RerunOutcome) =>
  `${outcome.run.dataset ? ` --dataset ${outcome.run.dataset}` : ''}${outcome.run.partner ? ` --partner ${outcome.run.partner}` : ''}`;

async function waitForRun(
  runtime: Runtime,
  outcome: RerunOutcome,
  ports: RerunPorts,
  timeoutMs: number,
): Promise<RerunProgress> {
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(1_000, deadline - Date.now());
  for (;;) {
    try {
      await runtime.waitForIdle({ timeoutMs: remaining() });
    } catch {
      // Not idle yet; the progress below says which files are open.
    }
    const progress = await rerunProgress(outcome.runId, ports);
    if (progress.done) {
      // Dedup, reconcile and ready-publisher run on the events the last closes published.
      await runtime.waitForIdle({ timeoutMs: remaining() });
      return progress;
    }
    if (Date.now() > deadline) return progress;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function printOutcome(outcome: RerunOutcome): void {
  printText(
    `Rerun ${outcome.runId} (${outcome.resumed ? 'resumed' : 'new'}) over ${outcome.run.from}..${outcome.run.to}${filters(outcome)}: ` +
      `${outcome.reopened.length} file(s) reopened from raw, ${outcome.alreadyInRun.length} already in this run, ` +
      `${outcome.skipped.length} skipped.`,
  );
  for (const file of outcome.skipped) printText(`  skipped ${file.code}: ${file.reason}`);
}

function printVerdicts(
  outcome: RerunOutcome,
  progress: RerunProgress,
  verdicts: readonly ScopeVerdict[],
): void {
  printText(
    `Run ${outcome.runId}: ${progress.terminal} of ${progress.members} file(s) terminal again` +
      `${progress.movedOn > 0 ? ` (${progress.movedOn} moved on to a later run)` : ''}.`,
  );
  for (const line of verdictLines(verdicts)) printText(line);
}
