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
  waitForMarker,
  waitUntilEmpty,
} from './support/processes.ts';

const CHILD_SCRIPT = 'test/process/support/idempotent-hang.ts';

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
    heldMessageId = await waitForMarker(child, PROBE_HOLDING_MARKER, 30_000);
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
