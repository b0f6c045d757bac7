import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECEIVE_HOLD_SECONDS } from '../../runtime/poller.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { startRuntime } from '../../runtime/runtime.ts';
import { recordingLogger, waitFor } from '../../runtime/testing/helpers.ts';
import { topology } from '../../topology/topology.ts';
import { HANGING_SERVICE, HOLDING_MARKER } from './support/holding.ts';
import {
  killIfRunning,
  processesMentioning,
  spawnTs,
  type TsProcess,
  waitUntilEmpty,
} from './support/processes.ts';

const CHILD_SCRIPT = 'test/process/support/receive-then-die-before-journal.ts';

function waitForMarker(child: TsProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`No receive within ${timeoutMs} ms. Child stderr:\n${child.stderr()}`)),
      timeoutMs,
    );
    const onData = () => {
      const line = child
        .stdout()
        .split('\n')
        .find((candidate) => candidate.startsWith(HOLDING_MARKER));
      if (!line) return;
      clearTimeout(timer);
      child.child.stdout?.off('data', onData);
      resolve((JSON.parse(line.slice(HOLDING_MARKER.length)) as { messageId: string }).messageId);
    };
    child.child.stdout?.on('data', onData);
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`Child exited (${code ?? signal}) before it received:\n${child.stderr()}`));
    });
  });
}

describe('a crash between a receive and its journal write', () => {
  const visibilityTimeout =
    topology.services.find((service) => service.name === HANGING_SERVICE)?.queue.visibilityTimeoutSeconds ??
    0;
  const handled: SQSRecord[] = [];
  let stateDir: string;
  let child: TsProcess | undefined;
  let runtime: Runtime | undefined;
  let messageId = '';

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-journal-gap-'));
    child = spawnTs(CHILD_SCRIPT, [stateDir], { wrapper: false });
    messageId = await waitForMarker(child, 30_000);
    child.child.kill('SIGKILL');
    await child.exited;
    await waitUntilEmpty(() => processesMentioning(stateDir), 5_000);
    runtime = await startRuntime({
      stateDir,
      handlers: { [HANGING_SERVICE]: async (event) => void handled.push(...event.Records) },
      workers: {},
      s3Notifications: false,
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await killIfRunning(child);
    await runtime?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('gets the message no journal names after the receive hold, not after the visibility timeout', async () => {
    // Three holds: the hold plus a loaded machine's slack, still far below the visibility timeout.
    await waitFor(
      'the restarted runtime to get the message',
      () => handled.length > 0,
      RECEIVE_HOLD_SECONDS * 3_000,
    );

    expect(visibilityTimeout).toBeGreaterThan(RECEIVE_HOLD_SECONDS * 3);
    expect(handled.map((record) => record.messageId)).toEqual([messageId]);
    await runtime?.waitForIdle({ timeoutMs: 10_000 });
  });
});
