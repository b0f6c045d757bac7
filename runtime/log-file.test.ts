import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogFile, runtimeLogPath } from './log-file.ts';
import { consoleLogger, teeLogger } from './logger.ts';

const lines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('runtime log file', () => {
  let stateDir: string;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-logs-'));
  });

  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('appends the JSON lines stderr gets to <stateDir>/logs/runtime.jsonl, across runtimes', async () => {
    // Prepare
    const path = runtimeLogPath(stateDir);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    // Act
    const first = createLogFile(path);
    teeLogger(consoleLogger, first).warn('poller stopped', { service: 'dedup' });
    first.close();
    const second = createLogFile(path);
    second.error('teardown failed', { error: 'boom' });
    second.close();
    second.info('after close');
    const written = stderr.mock.calls.map(([chunk]) => String(chunk));
    stderr.mockRestore();

    // Assess
    expect(path).toBe(join(stateDir, 'logs', 'runtime.jsonl'));
    expect(await lines(path)).toEqual([
      expect.objectContaining({ level: 'warn', message: 'poller stopped', service: 'dedup' }),
      expect.objectContaining({ level: 'error', message: 'teardown failed', error: 'boom' }),
    ]);
    expect(written.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'warn', message: 'poller stopped', service: 'dedup' }),
    ]);
  });

  it('rotates before a line would pass the size cap, keeping a bounded number of files', async () => {
    // Prepare
    const path = runtimeLogPath(stateDir);
    const file = createLogFile(path, { maxBytes: 400, keep: 2 });

    // Act
    for (let index = 0; index < 40; index += 1) file.info(`line ${index}`, { padding: 'x'.repeat(40) });
    file.close();

    // Assess
    const names = (await readdir(join(stateDir, 'logs'))).sort();
    expect(names).toEqual(['runtime.1.jsonl', 'runtime.2.jsonl', 'runtime.jsonl']);
    for (const name of names) {
      const content = await readFile(join(stateDir, 'logs', name), 'utf8');
      expect(Buffer.byteLength(content), name).toBeLessThanOrEqual(400);
    }
    expect((await lines(path)).at(-1)?.message).toBe('line 39');
  });

  it('masks card numbers in every line it stores', async () => {
    // Prepare
    const path = runtimeLogPath(stateDir);
    const file = createLogFile(path);

    // Act
    file.error('could not parse row 4111111111111111', { key: 'inbound/x/5555555555554444.csv' });
    file.close();

    // Assess
    const text = await readFile(path, 'utf8');
    expect(text).not.toMatch(/4111111111111111|5555555555554444/);
    expect(text).toContain('************1111');
  });
});
