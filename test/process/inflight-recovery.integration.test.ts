import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDepths } from '../../runtime/idle.ts';
import type { InflightEntry } from '../../runtime/inflight-journal.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { startRuntime } from '../../runtime/runtime.ts';
import { recordingLogger, waitFor } from '../../runtime/testing/helpers.ts';
import { topology } from '../../topology/topology.ts';
import { HANGING_SERVICE, HOLDING_MARKER, type HoldingReport } from './support/holding.ts';
import {
  killIfRunning,
  processesMentioning,
  spawnTs,
  type TsProcess,
  waitUntilEmpty,
} from './support/processes.ts';

const CHILD_SCRIPT = 'test/process/support/receive-then-hang.ts';

/** Resolve with the child's report once its handler holds the message; reject if it exits or stays silent. */
function waitForHolding(child: TsProcess, timeoutMs: number): Promise<HoldingReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`The handler got no batch within ${timeoutMs} ms. Child stderr:\n${child.stderr()}`),
        ),
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
      resolve(JSON.parse(line.slice(HOLDING_MARKER.length)) as HoldingReport);
    };
    child.child.stdout?.on('data', onData);
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`Child exited (${code ?? signal}) before its handler held a batch:\n${child.stderr()}`),
      );
    });
  });
}

/** Every entry in the state folder's in-flight journals, read from disk. */
async function journalOnDisk(stateDir: string): Promise<{ files: string[]; entries: InflightEntry[] }> {
  const dir = join(stateDir, 'inflight');
  const files = await readdir(dir).catch(() => []);
  const entries: InflightEntry[] = [];
  for (const name of files.filter((file) => file.endsWith('.json'))) {
    entries.push(...(JSON.parse(await readFile(join(dir, name), 'utf8')) as InflightEntry[]));
  }
  return { files, entries };
}

describe('a crash while a handler holds a batch', () => {
  const visibilityTimeout =
    topology.services.find((service) => service.name === HANGING_SERVICE)?.queue.visibilityTimeoutSeconds ??
    0;
  const logger = recordingLogger();
  const handled: SQSRecord[] = [];
  let stateDir: string;
  let child: TsProcess | undefined;
  let runtime: Runtime | undefined;
  let held: HoldingReport;
  let journalAtCrash: { files: string[]; entries: InflightEntry[] };
  let restartedAt = 0;
  let handledAfterMs = Number.NaN;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-inflight-'));
    child = spawnTs(CHILD_SCRIPT, [stateDir], { wrapper: false });
    held = await waitForHolding(child, 30_000);
    // A real crash: no signal handler, no teardown, the message left in flight.
    child.child.kill('SIGKILL');
    await child.exited;
    // DynamoDB Local's watchdog polls its parent every second; the next JVM needs the same folder.
    await waitUntilEmpty(() => processesMentioning(stateDir), 5_000);
    journalAtCrash = await journalOnDisk(stateDir);

    restartedAt = Date.now();
    runtime = await startRuntime({
      stateDir,
      handlers: {
        [HANGING_SERVICE]: async (event) => {
          handledAfterMs = Date.now() - restartedAt;
          handled.push(...event.Records);
        },
      },
      workers: {},
      s3Notifications: false,
      logger,
    });
  });

  afterAll(async () => {
    await killIfRunning(child);
    await runtime?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('leaves the received batch in the journal when the process dies', () => {
    expect(journalAtCrash.entries).toEqual([
      expect.objectContaining({
        messageId: held.messageId,
        queueUrl: expect.stringContaining('file-landing'),
      }),
    ]);
    expect(held.receiveCount).toBe('1');
  });

  it('hands the message to the new handler at once, not after the visibility timeout', async () => {
    await waitFor('the restarted handler to get the message', () => handled.length > 0, 10_000);

    expect(visibilityTimeout).toBeGreaterThanOrEqual(600);
    expect(handledAfterMs).toBeLessThan(10_000);
    expect(handled.map((record) => [record.messageId, record.body])).toEqual([[held.messageId, held.body]]);
    expect(handled[0]?.attributes.ApproximateReceiveCount).toBe('2');
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'released messages left in flight by a previous run',
        data: expect.objectContaining({ released: 1, alreadyGone: 0, failed: 0 }),
      }),
    );
  });

  it('becomes idle, handles the message exactly once and leaves no journal behind', async () => {
    const restarted = runtime ?? expect.fail('The restarted runtime did not start; see beforeAll');
    await restarted.waitForIdle({ timeoutMs: 10_000 });
    // Deleted, not merely hidden: a message still in the queue (in flight or delayed) would come back a second time.
    const queueUrl = restarted.resources.services[HANGING_SERVICE]?.queue.url ?? expect.fail('no queue');
    const [depth] = await queueDepths(restarted.clients.sqs, [queueUrl]);

    expect(depth).toMatchObject({ visible: 0, inFlight: 0, delayed: 0 });
    expect(handled.map((record) => record.messageId)).toEqual([held.messageId]);
    expect(restarted.pollers[HANGING_SERVICE]?.stats()).toEqual({ batches: 1, succeeded: 1, failed: 0 });
    expect(await journalOnDisk(stateDir)).toEqual({ files: [], entries: [] });
  });
});
