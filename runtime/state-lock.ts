import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Who holds a state folder. */
export interface StateLockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/** A held state-folder lock. */
export interface StateLock {
  /** The owner a previous process left behind when it died without releasing (after SIGKILL, say). */
  readonly previousOwner: StateLockOwner | undefined;
  release(): Promise<void>;
}

/** Another live process runs a runtime on the same state folder. */
export class StateFolderInUseError extends Error {
  constructor(
    readonly stateDir: string,
    readonly owner: StateLockOwner,
  ) {
    super(
      `The state folder ${stateDir} is in use by process ${owner.pid} (started ${owner.startedAt}). ` +
        'Stop that runtime (Ctrl-C, or kill ' +
        `${owner.pid}), or pass another --state-dir. If no such process runs, delete ${lockPath(stateDir)}.`,
    );
    this.name = 'StateFolderInUseError';
  }
}

export function lockPath(stateDir: string): string {
  return join(stateDir, 'runtime.lock');
}

/**
 * Take the state folder for this process. One runtime per state folder is what makes crash recovery safe:
 * whatever the folder's journals and idempotency table show in progress at start belongs to a dead process,
 * so the new runtime may take it over at once instead of waiting out visibility and in-progress timeouts.
 * A lock whose process no longer runs on this host is taken over and reported as `previousOwner`.
 * @example const lock = await acquireStateLock(stateDir); try { … } finally { await lock.release(); }
 */
export async function acquireStateLock(stateDir: string): Promise<StateLock> {
  await mkdir(stateDir, { recursive: true });
  const path = lockPath(stateDir);
  const owner: StateLockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  let previousOwner: StateLockOwner | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, JSON.stringify(owner), { flag: 'wx' });
      return {
        previousOwner,
        async release() {
          const current = await readOwner(path);
          if (current?.pid === owner.pid && current.startedAt === owner.startedAt)
            await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readOwner(path);
    if (holder && holder.pid !== process.pid && isAlive(holder))
      throw new StateFolderInUseError(stateDir, holder);
    previousOwner = holder ?? previousOwner;
    await rm(path, { force: true });
  }
  throw new Error(`Could not take ${path}: another process keeps recreating it. Check for a second runtime.`);
}

async function readOwner(path: string): Promise<StateLockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<StateLockOwner>;
    if (typeof parsed.pid !== 'number') return undefined;
    return { pid: parsed.pid, host: String(parsed.host ?? ''), startedAt: String(parsed.startedAt ?? '') };
  } catch {
    // Missing, or half-written by a process killed mid-write: either way nobody holds it.
    return undefined;
  }
}

/** A lock from another host (a shared folder) is never presumed dead. */
function isAlive(owner: StateLockOwner): boolean {
  if (owner.host && owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
