import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTable } from '../../lib/aws/scan-table.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { startRuntime } from '../../runtime/runtime.ts';
import { recordingLogger, waitFor } from '../../runtime/testing/helpers.ts';
import { idempotentProbe, PROBE_HOLDING_MARKER, PROBE_SERVICE } from './support/idempotent-probe.ts';
import {
  killIfRunning,
  processesMentioning,
  spawnTs,
  type TsProcess,
  waitUntilEmpty,
} from './support/processes.ts';

const CHILD_SCRIPT = 'test/process/support/idempotent-hang.ts';

/** Resolve with the held message id once the child's use case holds it; reject if it exits first. */
function waitForProbe(child: TsProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`The probe was not held within ${timeoutMs} ms. Child stderr:\n${child.stderr()}`)),
      timeoutMs,
    );
    const onData = () => {
      const line = child
        .stdout()
        .split('\n')
        .find((candidate) => candidate.startsWith(PROBE_HOLDING_MARKER));
      if (!line) return;
      clearTimeout(timer);
      child.child.stdout?.off('data', onData);
      resolve(line.slice(PROBE_HOLDING_MARKER.length).trim());
    };
    child.child.stdout?.on('data', onData);
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`Child exited (${code ?? signal}) before it held the probe:\n${child.stderr()}`));
    });
  });
}

describe('a crash while an idempotent consumer holds its record IN_PROGRESS', () => {
  const probeKey = `probe-${process.pid}`;
  const logger = recordingLogger();
  const handled: string[] = [];
  let stateDir: string;
  let child: TsProcess | undefined;
  let runtime: Runtime | undefined;
  let heldMessageId = '';

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-takeover-'));
    child = spawnTs(CHILD_SCRIPT, [stateDir, probeKey], { wrapper: false });
    heldMessageId = await waitForProbe(child, 30_000);
    child.child.kill('SIGKILL');
    await child.exited;
    await waitUntilEmpty(() => processesMentioning(stateDir), 5_000);

    runtime = await startRuntime({
      stateDir,
      handlers: {
        [PROBE_SERVICE]: idempotentProbe(async (_message, messageId) => {
          handled.push(messageId);
        }),
      },
      workers: {},
      s3Notifications: false,
      // As `npm start` retries: far sooner than the dead invocation's in-progress record (300 s) expires.
      retryDelaySeconds: 1,
      logger,
    });
  });

  afterAll(async () => {
    await killIfRunning(child);
    await runtime?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('takes over the dead process’s in-progress record before the pollers start', () => {
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        message: 'took over idempotency records a stopped process left in progress',
        data: expect.objectContaining({ takenOver: 1 }),
      }),
    );
  });

  it('runs the held message’s work once, never into the DLQ', async () => {
    const restarted = runtime ?? expect.fail('The restarted runtime did not start; see beforeAll');
    await waitFor('the restarted consumer to run the probe', () => handled.length > 0, 20_000);
    await restarted.waitForIdle({ timeoutMs: 20_000 });

    expect(handled).toEqual([heldMessageId]);
    expect(await restarted.dlq.listDlq(PROBE_SERVICE)).toEqual([]);
    expect(restarted.pollers[PROBE_SERVICE]?.stats()).toMatchObject({ failed: 0 });
  });

  it('leaves the record COMPLETED', async () => {
    const restarted = runtime ?? expect.fail('The restarted runtime did not start; see beforeAll');
    const statuses: (string | undefined)[] = [];
    for await (const item of scanTable(
      restarted.clients.dynamodb,
      restarted.resources.tables.idempotency?.name ?? '',
    ))
      statuses.push(item.status?.S);

    expect(statuses).toEqual(['COMPLETED']);
  });
});
