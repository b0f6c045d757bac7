import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTable } from '../../lib/aws/scan-table.ts';
import { SIGNAL_EXIT_CODES } from '../../runtime/graceful-stop.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { startRuntime } from '../../runtime/runtime.ts';
import { recordingLogger } from '../../runtime/testing/helpers.ts';
import {
  idempotentProbe,
  PROBE_FINISHED_MARKER,
  PROBE_HOLDING_MARKER,
  PROBE_SERVICE,
} from './support/idempotent-probe.ts';
import {
  killIfRunning,
  processesMentioning,
  spawnTs,
  type TsProcess,
  waitForMarker,
  waitUntilEmpty,
} from './support/processes.ts';

const CHILD_SCRIPT = 'test/process/support/idempotent-sigterm.ts';

describe('SIGTERM while a handler is running', () => {
  const probeKey = `sigterm-${process.pid}`;
  const handledAfterRestart: string[] = [];
  let stateDir: string;
  let child: TsProcess | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let heldMessageId = '';
  let finishedMessageId = '';
  let restarted: Runtime | undefined;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-sigterm-'));
    child = spawnTs(CHILD_SCRIPT, [stateDir, probeKey], { wrapper: false });
    heldMessageId = await waitForMarker(child, PROBE_HOLDING_MARKER, 30_000);
    const finished = waitForMarker(child, PROBE_FINISHED_MARKER, 30_000).catch(() => '');
    child.child.kill('SIGTERM');
    exit = await child.exited;
    finishedMessageId = await finished;
    await waitUntilEmpty(() => processesMentioning(stateDir), 5_000);

    restarted = await startRuntime({
      stateDir,
      handlers: {
        [PROBE_SERVICE]: idempotentProbe(async (_message, messageId) => {
          handledAfterRestart.push(messageId);
        }),
      },
      workers: {},
      s3Notifications: false,
      retryDelaySeconds: 1,
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await killIfRunning(child);
    await restarted?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('lets the running handler finish and exits with 143 and no storage errors', () => {
    expect(finishedMessageId).toBe(heldMessageId);
    expect(exit).toEqual({ code: SIGNAL_EXIT_CODES.SIGTERM, signal: null });
    expect(child?.stderr() ?? '').not.toMatch(/ECONNREFUSED|Failed to update success record|socket hang up/);
  });

  it('leaves the idempotency record COMPLETED and the message deleted: nothing to redo, nothing in a DLQ', async () => {
    const runtime = restarted ?? expect.fail('The restarted runtime did not start; see beforeAll');
    await runtime.waitForIdle({ timeoutMs: 20_000 });
    const statuses: (string | undefined)[] = [];
    for await (const item of scanTable(
      runtime.clients.dynamodb,
      runtime.resources.tables.idempotency?.name ?? '',
    ))
      statuses.push(item.status?.S);

    expect(statuses).toEqual(['COMPLETED']);
    expect(handledAfterRestart).toEqual([]);
    expect(await runtime.dlq.listDlq(PROBE_SERVICE)).toEqual([]);
  });
});
