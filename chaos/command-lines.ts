import type { RerunReport } from '../cli/commands/rerun.ts';
import type { PipelineReport } from '../cli/report.ts';
import type { ScheduleKind } from './schedules.ts';
import type { RerunFacts } from './state-facts.ts';

/** The sample scenario's business dates (test/sample-data/scenario.ts, delivered by `npm start`). */
export const RERUN_RANGE = { from: '2026-11-19', to: '2026-11-21' } as const;

/**
 * Every archived event: the scenario's uploads are stamped at their simulated times (from 19 November 2026) and
 * every later event at the real time it was published (README, "Offline runtime vs AWS").
 */
export const REPLAY_RANGE = { from: '2026-11-19T00:00:00Z', to: '2100-01-01T00:00:00Z' } as const;

/** The `finledger` command a kind interrupts. */
export type Command = 'run' | 'replay' | 'rerun';

/** What each kind does: the command it interrupts, the signal, and whether it starts after a complete `run`. */
export const KIND_PLANS: Record<
  ScheduleKind,
  { readonly command: Command; readonly signal: 'SIGKILL' | 'SIGTERM'; readonly afterCompleteRun: boolean }
> = {
  sigkill: { command: 'run', signal: 'SIGKILL', afterCompleteRun: false },
  sigterm: { command: 'run', signal: 'SIGTERM', afterCompleteRun: false },
  'kill-during-redelivery': { command: 'run', signal: 'SIGKILL', afterCompleteRun: true },
  'kill-during-replay': { command: 'replay', signal: 'SIGKILL', afterCompleteRun: true },
  'kill-during-rerun': { command: 'rerun', signal: 'SIGKILL', afterCompleteRun: true },
};

/**
 * The argument list of one command on a state folder. `json` asks `rerun` for its JSON report (an interrupted rerun
 * runs without it, so its run id is printed before it waits); `runId` resumes a rerun.
 * @example commandArgs('run', { stateDir: '/tmp/s', timeoutSeconds: 240 }) // ['run', '--state-dir', '/tmp/s', '--json', '--timeout-seconds', '240']
 */
export function commandArgs(
  command: Command,
  options: { stateDir: string; timeoutSeconds: number; json?: boolean; runId?: string },
): string[] {
  const common = ['--state-dir', options.stateDir, '--timeout-seconds', String(options.timeoutSeconds)];
  switch (command) {
    case 'run':
      return [
        'run',
        '--state-dir',
        options.stateDir,
        '--json',
        '--timeout-seconds',
        String(options.timeoutSeconds),
      ];
    case 'replay':
      return ['replay', '--from', REPLAY_RANGE.from, '--to', REPLAY_RANGE.to, ...common];
    case 'rerun':
      return [
        'rerun',
        '--from',
        RERUN_RANGE.from,
        '--to',
        RERUN_RANGE.to,
        ...(options.runId ? ['--run-id', options.runId] : []),
        ...(options.json === false ? [] : ['--json']),
        ...common,
      ];
  }
}

/**
 * The rerun to resume: the id an interrupted `rerun` printed, else the latest recorded run of the range (it may have
 * been recorded before the id was printed), else none (start a new one).
 */
export function rerunToResume(stdout: string, recorded: readonly RerunFacts[]): string | undefined {
  const printed = /Rerun (run_[0-9a-f]{32}) \(new[,)]/.exec(stdout)?.[1];
  if (printed) return printed;
  return recorded
    .filter((run) => run.from === RERUN_RANGE.from && run.to === RERUN_RANGE.to)
    .sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0))
    .at(-1)?.runId;
}

/** The JSON document a command printed on stdout (from its first `{`), or undefined. */
export function jsonOf<T extends PipelineReport | RerunReport>(stdout: string): T | undefined {
  const start = stdout.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(stdout.slice(start)) as T;
  } catch {
    return undefined;
  }
}

/**
 * Exit codes that finish a command: `rerun` exits 3 when a file was skipped or a verdict is pending (a data outcome,
 * compared with the baseline's like any other); everything else must exit 0.
 */
export const finished = (command: Command, code: number | null): boolean =>
  code === 0 || (command === 'rerun' && code === 3);

/** stderr that says the runtime did not settle (as opposed to a crash or a usage error). */
export const saysNotIdle = (stderr: string): boolean =>
  /did not become idle|still open|Files still open/i.test(stderr);
