import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireStateLock, lockPath, StateFolderInUseError } from './state-lock.ts';

/** A pid that surely ran and exited: a child that has been reaped. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '0']);
  if (pid === undefined) throw new Error('could not spawn a short-lived child');
  return pid;
}

describe('acquireStateLock', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-lock-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('takes a free folder and releases it', async () => {
    // Act
    const lock = await acquireStateLock(stateDir);
    const held = JSON.parse(await readFile(lockPath(stateDir), 'utf8')) as { pid: number };
    await lock.release();

    // Assess
    expect(held.pid).toBe(process.pid);
    expect(lock.previousOwner).toBeUndefined();
    await expect(readFile(lockPath(stateDir))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a folder a live process holds, naming the process', async () => {
    // Prepare: the parent of this test process is alive and is not this process.
    await writeFile(
      lockPath(stateDir),
      JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-12-06T00:00:00Z' }),
    );

    // Act
    const attempt = acquireStateLock(stateDir);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(StateFolderInUseError);
    await expect(attempt).rejects.toThrow(`in use by process ${process.ppid}`);
  });

  it('takes over a folder whose holder died without releasing it, and says who that was', async () => {
    // Prepare
    const pid = deadPid();
    await writeFile(
      lockPath(stateDir),
      JSON.stringify({ pid, host: hostname(), startedAt: '2026-12-06T00:00:00Z' }),
    );

    // Act
    const lock = await acquireStateLock(stateDir);

    // Assess
    expect(lock.previousOwner).toEqual({ pid, host: hostname(), startedAt: '2026-12-06T00:00:00Z' });
    await lock.release();
  });

  it('takes over a lock file half-written by a killed process', async () => {
    // Prepare
    await writeFile(lockPath(stateDir), '{"pid":');

    // Act
    const lock = await acquireStateLock(stateDir);

    // Assess
    expect(lock.previousOwner).toBeUndefined();
    await lock.release();
  });
});
