import { describe, expect, it } from 'vitest';
import { startLoop } from './loop.ts';
import { recordingLogger, waitFor } from './testing/helpers.ts';

describe('startLoop', () => {
  it('keeps running after a failing iteration and logs it', async () => {
    // Prepare
    const logger = recordingLogger();
    let calls = 0;

    // Act
    const loop = startLoop(
      'flaky',
      5,
      async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
      },
      { logger },
    );
    await waitFor('a few iterations', () => loop.iterations() >= 3, 2000);
    await loop.stop();

    // Assess
    expect(logger.entries.filter((entry) => entry.level === 'error')).toHaveLength(1);
    expect(logger.entries[0]?.data).toMatchObject({ worker: 'flaky', error: 'boom' });
  });

  it('waits for the iteration in flight when stopped, and never overlaps iterations', async () => {
    // Prepare
    let running = 0;
    let maxConcurrent = 0;
    let finished = 0;
    const loop = startLoop(
      'slow',
      1,
      async () => {
        running++;
        maxConcurrent = Math.max(maxConcurrent, running);
        await new Promise((resolve) => setTimeout(resolve, 100));
        running--;
        finished++;
      },
      { logger: recordingLogger() },
    );
    void loop.runNow();
    await waitFor('the first iteration to start', () => running === 1, 1000);

    // Act
    await loop.stop();

    // Assess
    expect(running).toBe(0);
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(maxConcurrent).toBe(1);
    expect(loop.busy()).toBe(false);
  });

  it('runs one more iteration for any number of kicks made while one runs', async () => {
    // Prepare: an interval that never fires, and iterations that wait for the test to let them finish.
    let started = 0;
    const releases: (() => void)[] = [];
    const loop = startLoop(
      'kicked',
      3_600_000,
      async () => {
        started++;
        await new Promise<void>((resolve) => releases.push(resolve));
      },
      { logger: recordingLogger(), runImmediately: false },
    );
    loop.kick();
    await waitFor('the first iteration to start', () => started === 1, 5000);

    // Act
    loop.kick();
    loop.kick();
    loop.kick();
    releases.shift()?.();
    await waitFor('the queued iteration to start', () => started === 2, 5000);
    releases.shift()?.();
    await waitFor('both iterations to finish', () => loop.iterations() === 2 && !loop.busy(), 5000);

    // Assess
    expect(started).toBe(2);
    await loop.stop();
  });
});
