import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CanonicalReport, diffCanonical, formatDifference } from './canonical-report.ts';
import { type CliRun, runCli, tail } from './cli-process.ts';
import {
  type Command,
  commandArgs,
  finished,
  KIND_PLANS,
  rerunToResume,
  saysNotIdle,
} from './command-lines.ts';
import { judgeFinalState, readState, stateProblems } from './final-state.ts';
import { killDelaysMs, type Schedule, type ScheduleKind } from './schedules.ts';

export interface CampaignOptions {
  readonly seed: number;
  readonly schedules: readonly Schedule[];
  /** Passed to every command as `--timeout-seconds`; the harness kills a command 120 s past it. */
  readonly timeoutSeconds: number;
  /** Keep the state folders of failing schedules (and the baselines they compare with). */
  readonly keep: boolean;
  /** Called with each finished schedule (a long campaign prints as it goes). */
  readonly onSchedule?: (result: ScheduleResult) => void;
  readonly onProgress?: (line: string) => void;
}

/** An uninterrupted command sequence: what its schedules are compared with. */
export interface BaselineResult {
  readonly name: string;
  /** Measured duration of the command the schedules interrupt (kill delays are drawn across it). */
  readonly durationMs: number;
  readonly exitCode: number | null;
  readonly canonical?: CanonicalReport;
  readonly problems: readonly string[];
  readonly observations: Readonly<Record<string, number>>;
  readonly failure?: string;
  readonly stateDir?: string;
}

export type ScheduleOutcome =
  | 'identical'
  | 'differences'
  | 'not-idle'
  | 'exit-code'
  | 'harness-error'
  | 'no-baseline';

/** One interrupted attempt of a schedule. */
export interface AttemptSummary {
  readonly command: Command;
  readonly signal: 'SIGKILL' | 'SIGTERM';
  readonly plannedMs: number;
  /** False when the command had already exited on its own. */
  readonly delivered: boolean;
  readonly exit: string;
  readonly durationMs: number;
}

export interface ScheduleResult {
  readonly schedule: Schedule;
  readonly killDelaysMs: readonly number[];
  readonly attempts: readonly AttemptSummary[];
  readonly outcome: ScheduleOutcome;
  readonly differences: readonly string[];
  /** Invariants broken (DLQ messages, ignored SIGTERM, leftover processes, …): any one fails the schedule. */
  readonly problems: readonly string[];
  readonly observations: Readonly<Record<string, number>>;
  /** For not-idle / exit-code / harness-error: the command, its exit and the tail of its stderr. */
  readonly failure?: string;
  readonly durationMs: number;
  readonly stateDir?: string;
}

export interface CampaignResult {
  readonly seed: number;
  readonly baselines: readonly BaselineResult[];
  readonly schedules: readonly ScheduleResult[];
  readonly wallMs: number;
  /** Every schedule identical to its baseline with no problem, and every baseline clean. */
  readonly passed: boolean;
}

/** `sigkill` and `sigterm` share the plain `run` baseline; each kind after a complete run has its own. */
const baselineKey = (kind: ScheduleKind) => (KIND_PLANS[kind].afterCompleteRun ? kind : 'run');
const baselineName = (kind: ScheduleKind) =>
  KIND_PLANS[kind].afterCompleteRun ? `run → ${KIND_PLANS[kind].command} (${kind})` : 'run';

const exitText = (run: CliRun) =>
  run.timedOut ? 'timed out' : run.exit.signal ? `signal ${run.exit.signal}` : `exit ${run.exit.code}`;

export const passedSchedule = (result: ScheduleResult) =>
  result.outcome === 'identical' && result.problems.length === 0;

const processProblems = (run: CliRun, what: string): string[] => [
  ...(run.ignoredSigterm ? [`${what}: did not stop within the grace period after SIGTERM (SIGKILLed)`] : []),
  ...(run.leftovers.length > 0
    ? [`${what}: processes still alive 10 s after exit: ${run.leftovers.join('; ')}`]
    : []),
];

/**
 * A crash campaign: one uninterrupted baseline per command sequence, then each schedule on a fresh state folder,
 * interrupted as drawn, resumed to completion and compared with its baseline. One command at a time (2 cores).
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const startedAt = Date.now();
  const root = await mkdtemp(join(tmpdir(), 'finledger-chaos-'));
  const say = options.onProgress ?? (() => {});
  const baselines = new Map<string, BaselineResult>();
  const results: ScheduleResult[] = [];
  let keepRoot = false;
  try {
    const snapshot = join(root, 'after-run');
    const runBaseline = await measureBaseline('run', 'run', join(root, 'baseline-run'), options, snapshot);
    baselines.set('run', runBaseline);
    say(`baseline run: ${exitLine(runBaseline)}`);
    for (const kind of new Set(options.schedules.map((schedule) => schedule.kind))) {
      if (baselines.has(baselineKey(kind))) continue;
      const dir = join(root, `baseline-${kind}`);
      const baseline = runBaseline.canonical
        ? await measureBaseline(
            baselineName(kind),
            KIND_PLANS[kind].command,
            dir,
            options,
            undefined,
            snapshot,
          )
        : { ...runBaseline, name: baselineName(kind), failure: 'the run baseline failed' };
      baselines.set(baselineKey(kind), baseline);
      say(`baseline ${baseline.name}: ${exitLine(baseline)}`);
    }
    for (const schedule of options.schedules) {
      const baseline = baselines.get(baselineKey(schedule.kind)) as BaselineResult;
      const dir = join(root, `schedule-${schedule.index}-${schedule.kind}`);
      const result = await runSchedule(schedule, baseline, dir, snapshot, options);
      const failed = !passedSchedule(result);
      if (failed && options.keep) keepRoot = true;
      else await rm(dir, { recursive: true, force: true });
      results.push(failed && options.keep ? { ...result, stateDir: dir } : result);
      options.onSchedule?.(results.at(-1) as ScheduleResult);
    }
  } finally {
    if (!keepRoot) await rm(root, { recursive: true, force: true });
  }
  const baselineList = [...baselines.values()].map((baseline) =>
    keepRoot && baseline.stateDir ? baseline : { ...baseline, stateDir: undefined },
  );
  return {
    seed: options.seed,
    baselines: baselineList,
    schedules: results,
    wallMs: Date.now() - startedAt,
    passed:
      results.every(passedSchedule) &&
      baselineList.every((baseline) => !baseline.failure && baseline.problems.length === 0),
  };
}

const exitLine = (baseline: BaselineResult) =>
  baseline.failure
    ? `FAILED: ${baseline.failure}`
    : `${(baseline.durationMs / 1000).toFixed(1)} s, exit ${baseline.exitCode}` +
      (baseline.problems.length > 0 ? `; problems: ${baseline.problems.join(' | ')}` : '');

async function measureBaseline(
  name: string,
  command: Command,
  stateDir: string,
  options: CampaignOptions,
  saveSnapshotTo?: string,
  startFrom?: string,
): Promise<BaselineResult> {
  if (startFrom) await cp(startFrom, stateDir, { recursive: true });
  else await mkdir(stateDir, { recursive: true });
  const run = await runCli(commandArgs(command, { stateDir, timeoutSeconds: options.timeoutSeconds }), {
    stateDir,
    hardTimeoutMs: (options.timeoutSeconds + 120) * 1000,
  });
  const measured = { name, durationMs: run.durationMs, exitCode: run.exit.code, stateDir };
  if (!finished(command, run.exit.code) || run.timedOut)
    return { ...measured, problems: [], observations: {}, failure: `${exitText(run)}\n${tail(run.stderr)}` };
  // A copy of the folder the complete run left: every kind that starts "after a complete run" starts from it.
  if (saveSnapshotTo) await cp(stateDir, saveSnapshotTo, { recursive: true });
  try {
    const final = await judgeFinalState(stateDir, command, run);
    return { ...measured, ...final, problems: [...final.problems, ...processProblems(run, name)] };
  } catch (error) {
    return { ...measured, problems: [], observations: {}, failure: String(error) };
  }
}

async function runSchedule(
  schedule: Schedule,
  baseline: BaselineResult,
  stateDir: string,
  snapshot: string,
  options: CampaignOptions,
): Promise<ScheduleResult> {
  const startedAt = Date.now();
  const plan = KIND_PLANS[schedule.kind];
  const delays = killDelaysMs(schedule, baseline.durationMs);
  const base = { schedule, killDelaysMs: delays, observations: {} as Record<string, number> };
  if (!baseline.canonical)
    return {
      ...base,
      attempts: [],
      outcome: 'no-baseline',
      differences: [],
      problems: [],
      failure: `baseline ${baseline.name} failed: ${baseline.failure ?? 'no canonical report'}`,
      durationMs: 0,
    };
  if (plan.afterCompleteRun) await cp(snapshot, stateDir, { recursive: true });
  else await mkdir(stateDir, { recursive: true });
  const hardTimeoutMs = (options.timeoutSeconds + 120) * 1000;
  const argsFor = (runId?: string, json = true) =>
    commandArgs(plan.command, {
      stateDir,
      timeoutSeconds: options.timeoutSeconds,
      json,
      ...(runId ? { runId } : {}),
    });
  const attempts: AttemptSummary[] = [];
  const problems: string[] = [];
  let runId: string | undefined;
  try {
    for (const [index, delay] of delays.entries()) {
      const run = await runCli(argsFor(runId, plan.command !== 'rerun'), {
        stateDir,
        hardTimeoutMs,
        interrupt: { signal: plan.signal, afterMs: delay },
      });
      const delivered = run.interrupted?.delivered ?? false;
      attempts.push({
        command: plan.command,
        signal: plan.signal,
        plannedMs: delay,
        delivered,
        exit: exitText(run),
        durationMs: run.durationMs,
      });
      problems.push(...processProblems(run, `attempt ${index + 1}`));
      if (!delivered && !finished(plan.command, run.exit.code))
        problems.push(`attempt ${index + 1} failed before its kill (${exitText(run)}):\n${tail(run.stderr)}`);
      // The id the rerun printed, else (killed before it printed) the run it recorded in the state folder.
      if (plan.command === 'rerun' && !runId)
        runId = rerunToResume(run.stdout, []) ?? rerunToResume('', (await readState(stateDir)).facts.reruns);
    }
    const last = await runCli(argsFor(runId), { stateDir, hardTimeoutMs });
    problems.push(...processProblems(last, 'resumed run'));
    const durationMs = () => Date.now() - startedAt;
    if (last.timedOut || !finished(plan.command, last.exit.code)) {
      const notIdle = last.timedOut || saysNotIdle(last.stderr);
      return {
        ...base,
        attempts,
        outcome: notIdle ? 'not-idle' : 'exit-code',
        differences: [],
        problems: [...problems, ...(await stateProblems(stateDir))],
        failure: `resumed \`finledger ${last.args.join(' ')}\`: ${exitText(last)}\n${tail(last.stderr)}`,
        durationMs: durationMs(),
      };
    }
    const final = await judgeFinalState(stateDir, plan.command, last);
    const differences = diffCanonical(baseline.canonical, final.canonical).map(formatDifference);
    if (last.exit.code !== baseline.exitCode)
      differences.unshift(`exitCode: ${baseline.exitCode} ≠ ${last.exit.code}`);
    return {
      ...base,
      observations: final.observations,
      attempts,
      outcome: differences.length === 0 ? 'identical' : 'differences',
      differences,
      problems: [...problems, ...final.problems],
      durationMs: durationMs(),
    };
  } catch (error) {
    return {
      ...base,
      attempts,
      outcome: 'harness-error',
      differences: [],
      problems,
      failure: error instanceof Error ? error.message : String(error),
      durationMs: Date.now() - startedAt,
    };
  }
}
