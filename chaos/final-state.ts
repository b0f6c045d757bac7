import type { RerunReport } from '../cli/commands/rerun.ts';
import type { PipelineReport } from '../cli/report.ts';
import { type CanonicalReport, canonicalReport } from './canonical-report.ts';
import { type CliRun, runCli, tail } from './cli-process.ts';
import { type Command, jsonOf } from './command-lines.ts';
import { STATE_READ_MARKER, type StateRead } from './state-facts.ts';

/** What a finished command sequence left, judged. */
export interface FinalState {
  readonly canonical: CanonicalReport;
  /** Invariants broken whatever the baseline says: DLQ messages, undrained queues, open files. */
  readonly problems: readonly string[];
  /** Shown, never compared: they legitimately vary with kill timing. */
  readonly observations: Readonly<Record<string, number>>;
}

/** The state reader failed: a harness-side problem, reported with the reader's stderr. */
export class StateReadError extends Error {}

const READ_TIMEOUT_MS = 180_000;

/** Run `chaos/read-state-facts.ts` on a state folder (the runtime in inspect mode) and parse what it printed. */
export async function readState(stateDir: string): Promise<StateRead> {
  const run = await runCli([stateDir], {
    stateDir,
    entry: 'chaos/read-state-facts.ts',
    hardTimeoutMs: READ_TIMEOUT_MS,
  });
  const line = run.stdout.split('\n').find((candidate) => candidate.startsWith(STATE_READ_MARKER));
  if (run.exit.code !== 0 || !line)
    throw new StateReadError(
      `reading the state folder ${stateDir} failed (exit ${run.exit.code ?? run.exit.signal}${run.timedOut ? ', timed out' : ''}):\n${tail(run.stderr)}`,
    );
  return JSON.parse(line.slice(STATE_READ_MARKER.length)) as StateRead;
}

function problemsOf(read: StateRead): string[] {
  const problems: string[] = [];
  const depth = (queue: StateRead['facts']['queues'][number]) => queue.ready + queue.delayed + queue.inFlight;
  const dlqs = read.facts.queues.filter((queue) => queue.kind !== 'queue' && depth(queue) > 0);
  if (dlqs.length > 0) {
    const first = read.facts.dlqMessages[0];
    problems.push(
      `DLQ messages: ${dlqs.map((queue) => `${queue.name}=${depth(queue)}`).join(', ')}` +
        (first ? `; first: ${first.queue} ${first.body.slice(0, 200)}` : ''),
    );
  }
  const busy = read.facts.queues.filter((queue) => queue.kind === 'queue' && depth(queue) > 0);
  if (busy.length > 0)
    problems.push(
      `service queues not drained: ${busy.map((queue) => `${queue.name}=${depth(queue)}`).join(', ')}`,
    );
  if (read.report.totals.open > 0) problems.push(`${read.report.totals.open} file(s) still open (LANDED)`);
  return problems;
}

/**
 * What is wrong in a state folder whose resume failed (DLQ messages, undrained queues, open files), to print beside
 * the failure; a state that cannot be read says so instead.
 */
export async function stateProblems(stateDir: string): Promise<string[]> {
  try {
    return problemsOf(await readState(stateDir));
  } catch (error) {
    return [
      `the state could not be read after the failure: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
}

/**
 * Judge the final state of a sequence whose last command finished: the report is the last `run`'s own `--json`
 * output when it printed one, else the state reader's (`status`-equivalent) report; a rerun adds its JSON.
 */
export async function judgeFinalState(stateDir: string, command: Command, last: CliRun): Promise<FinalState> {
  const read = await readState(stateDir);
  const printed = command === 'run' ? jsonOf<PipelineReport>(last.stdout) : undefined;
  const rerun = command === 'rerun' ? jsonOf<RerunReport>(last.stdout) : undefined;
  const report = printed ?? read.report;
  const problems = problemsOf(read);
  if (command === 'run' && !printed)
    problems.push("the final run printed no JSON report (the reader's is used)");
  if (command === 'rerun' && !rerun) problems.push('the final rerun printed no JSON report');
  return {
    canonical: canonicalReport({ report, facts: read.facts, ...(rerun ? { rerun } : {}) }),
    problems,
    observations: {
      watchdogRedrives: report.files.reduce((sum, file) => sum + file.redrives, 0),
      redeliveries: report.files.reduce((sum, file) => sum + file.redeliveries, 0),
      archivedEvents: read.facts.archive.events,
      republishedEvents: read.facts.archive.republished,
    },
  };
}
