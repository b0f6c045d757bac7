import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in `<root>/test/process/support/`). */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** One process as /proc shows it; `startTime` (clock ticks since boot) tells a reused pid apart. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly startTime: string;
  readonly command: string;
}

/** One process by pid, or undefined when it does not exist. */
export function readProcessInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces; the fixed fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return {
      pid,
      ppid: Number(fields[1]),
      state: fields[0] ?? '?',
      startTime: fields[19] ?? '?',
      command,
    };
  } catch {
    return undefined; // Gone between the directory listing and the read.
  }
}

/** Every process on the machine (Linux /proc). */
export function listProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => readProcessInfo(Number(entry)) ?? []);
}

/**
 * Whether this very process (same pid and start time) still runs. A zombie counts as gone: it holds no
 * resources, and a container init may be slow to reap orphans.
 */
export function isRunning(process: Pick<ProcessInfo, 'pid' | 'startTime'>): boolean {
  const current = readProcessInfo(process.pid);
  return current !== undefined && current.startTime === process.startTime && !/[ZX]/.test(current.state);
}

/** Live processes whose command line contains `text` (like `pgrep -f`), this process excluded. */
export function processesMentioning(text: string): ProcessInfo[] {
  return listProcesses().filter(
    (info) => info.pid !== process.pid && info.command.includes(text) && !/[ZX]/.test(info.state),
  );
}

/** Every live descendant of `root`, from one snapshot of the process table. */
export function descendantsOf(root: number, table: readonly ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  let parents = new Set([root]);
  while (parents.size > 0) {
    const children = table.filter((info) => parents.has(info.ppid));
    found.push(...children);
    parents = new Set(children.map((info) => info.pid));
  }
  return found;
}

/**
 * Sample the descendants of `root` every `intervalMs` while it runs: once it exits, its orphans are
 * re-parented and no longer findable by ancestry, so they must be recorded while it is alive.
 */
export function trackDescendants(root: number, intervalMs = 100): { stop(): ProcessInfo[] } {
  const seen = new Map<string, ProcessInfo>();
  const sample = () => {
    for (const info of descendantsOf(root)) {
      const key = `${info.pid}@${info.startTime}`;
      // Keep the latest non-empty command line: a child sampled between fork and exec still shows its parent's
      // (exec keeps the pid and start time), and an exited, unreaped child (zombie) shows an empty one.
      if (info.command || !seen.has(key)) seen.set(key, info);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return [...seen.values()];
    },
  };
}

/** Poll `probe` until it returns an empty list or `timeoutMs` passes; returns the last list. */
export async function waitUntilEmpty<T>(probe: () => T[], timeoutMs: number, intervalMs = 100): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = probe();
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A spawned TypeScript entry point with its output collected. */
export interface TsProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and its pipes are closed. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Run a TypeScript file with the Node running this test, through tsx's CLI exactly as the `npm` scripts
 * do (`tsx cli/finledger.ts …`), or through `--import tsx` in this same process when `wrapper` is false.
 * `detached` makes the child lead its own process group, so `signalGroup` reaches tsx's wrapper and the Node it runs.
 */
export function spawnTs(
  entry: string,
  args: readonly string[],
  options: { wrapper?: boolean; env?: NodeJS.ProcessEnv; detached?: boolean } = {},
): TsProcess {
  const nodeArgs =
    options.wrapper === false
      ? ['--import', 'tsx', entry, ...args]
      : ['node_modules/tsx/dist/cli.mjs', entry, ...args];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: repoRoot,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  if (child.pid === undefined) throw new Error(`Could not spawn ${process.execPath} for ${entry}.`);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, pid: child.pid, stdout: () => out, stderr: () => err, exited };
}

/**
 * Signal the process group a `detached` spawn leads (tsx's wrapper and the Node it runs). DynamoDB Local runs in a
 * group of its own, which its reaper kills once the Node that started it is gone (`runtime/dynamodb-local.ts`).
 * Returns false when the group is already gone.
 */
export function signalGroup(leader: Pick<TsProcess, 'pid'>, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-leader.pid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group.
  }
}

/** SIGKILL a process started by this test if it still runs (cleanup in `finally`/`afterAll`). */
export async function killIfRunning(process: TsProcess | undefined): Promise<void> {
  if (!process || process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill('SIGKILL');
  await process.exited;
}

/**
 * Resolve with the rest of the first stdout line of `child` that starts with `marker`; reject if the child
 * exits first or `timeoutMs` passes (with its stderr, so the failure says why).
 */
export function waitForMarker(child: TsProcess, marker: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`No "${marker.trim()}" within ${timeoutMs} ms. Child stderr:\n${child.stderr()}`)),
      timeoutMs,
    );
    const onData = () => {
      const line = child
        .stdout()
        .split('\n')
        .find((candidate) => candidate.startsWith(marker));
      if (line === undefined) return;
      clearTimeout(timer);
      child.child.stdout?.off('data', onData);
      resolve(line.slice(marker.length).trim());
    };
    child.child.stdout?.on('data', onData);
    onData();
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`Child exited (${code ?? signal}) before "${marker.trim()}":\n${child.stderr()}`));
    });
  });
}
