import {
  isRunning,
  type ProcessInfo,
  processesMentioning,
  signalGroup,
  spawnTs,
  trackDescendants,
  waitUntilEmpty,
} from '../test/process/support/processes.ts';

/** How to interrupt a command: SIGKILL to its whole process group, or SIGTERM to its main pid only. */
export interface Interruption {
  readonly signal: 'SIGKILL' | 'SIGTERM';
  readonly afterMs: number;
}

/** One `finledger` invocation as the harness saw it. */
export interface CliRun {
  readonly args: readonly string[];
  readonly exit: { readonly code: number | null; readonly signal: NodeJS.Signals | null };
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when an interruption was planned: whether it reached a running process, and when. */
  readonly interrupted?: {
    readonly signal: Interruption['signal'];
    readonly atMs: number;
    readonly delivered: boolean;
  };
  /** The process was still running at the hard timeout and was SIGKILLed with its group. */
  readonly timedOut: boolean;
  /** SIGTERM was not obeyed within the grace period; the group was SIGKILLed. */
  readonly ignoredSigterm: boolean;
  /** Processes of this run (DynamoDB Local, its reaper) still alive after it exited, which the harness killed. */
  readonly leftovers: readonly string[];
}

export interface CliRunOptions {
  readonly stateDir: string;
  /** The TypeScript entry point (default the `finledger` CLI). */
  readonly entry?: string;
  readonly interrupt?: Interruption;
  /** SIGKILL the group past this (the CLI's own `--timeout-seconds` plus start and stop). */
  readonly hardTimeoutMs: number;
  /** How long a SIGTERMed process may take to stop before it is SIGKILLed. */
  readonly termGraceMs?: number;
}

/** DynamoDB Local's reaper polls its parent every second; the next run needs the same folder. */
const LEFTOVER_GRACE_MS = 10_000;
const DEFAULT_TERM_GRACE_MS = 30_000;
const TRACK_INTERVAL_MS = 250;

/**
 * Run `finledger <args>` as `npm run finledger` does (tsx's CLI, warnings quiet), leading its own process group;
 * interrupt it as planned, wait for it and for every process it started, and return what it printed.
 * Never throws for a failing command: the caller judges exit codes.
 */
export async function runCli(args: readonly string[], options: CliRunOptions): Promise<CliRun> {
  const startedAt = Date.now();
  const cli = spawnTs(options.entry ?? 'cli/finledger.ts', args, {
    detached: true,
    env: { ...process.env, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
  });
  const tracker = trackDescendants(cli.pid, TRACK_INTERVAL_MS);
  let exited = false;
  let interrupted: CliRun['interrupted'];
  let timedOut = false;
  let ignoredSigterm = false;
  const timers: NodeJS.Timeout[] = [];
  const plan = options.interrupt;
  if (plan) {
    timers.push(
      setTimeout(() => {
        interrupted = { signal: plan.signal, atMs: Date.now() - startedAt, delivered: !exited };
        if (exited) return;
        if (plan.signal === 'SIGKILL') {
          signalGroup(cli, 'SIGKILL');
          return;
        }
        process.kill(cli.pid, 'SIGTERM');
        timers.push(
          setTimeout(() => {
            if (exited) return;
            ignoredSigterm = true;
            signalGroup(cli, 'SIGKILL');
          }, options.termGraceMs ?? DEFAULT_TERM_GRACE_MS),
        );
      }, plan.afterMs),
    );
  }
  timers.push(
    setTimeout(() => {
      if (exited) return;
      timedOut = true;
      signalGroup(cli, 'SIGKILL');
    }, options.hardTimeoutMs),
  );
  const exit = await cli.exited;
  exited = true;
  const durationMs = Date.now() - startedAt;
  for (const timer of timers) clearTimeout(timer);
  const leftovers = await reapLeftovers(tracker.stop(), options.stateDir);
  return {
    args,
    exit,
    durationMs,
    stdout: cli.stdout(),
    stderr: cli.stderr(),
    ...(interrupted ? { interrupted } : {}),
    timedOut,
    ignoredSigterm,
    leftovers,
  };
}

/**
 * Wait until every process the run started is gone (DynamoDB Local's JVM names the state folder); SIGKILL, by pid,
 * any still there after the grace, and say which.
 */
async function reapLeftovers(descendants: readonly ProcessInfo[], stateDir: string): Promise<string[]> {
  const alive = () => [
    ...descendants.filter(isRunning),
    ...processesMentioning(stateDir).filter((info) => !descendants.some((known) => known.pid === info.pid)),
  ];
  const left = await waitUntilEmpty(alive, LEFTOVER_GRACE_MS);
  for (const info of left) {
    try {
      process.kill(info.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  if (left.length > 0) await waitUntilEmpty(alive, LEFTOVER_GRACE_MS);
  return left.map((info) => `${info.pid} ${info.command.slice(0, 160)}`);
}

/**
 * The last lines of a command's stderr, for a failure report.
 * @example tail('a\nb\nc\n', 2) // 'b\nc'
 */
export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
