import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landObjects } from '../../cli/main-job.ts';
import { waitForTerminalFiles } from '../../cli/pipeline-state.ts';
import { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import { FileValidatedV1 } from '../../contracts/events/file-validated.ts';
import { relayEntries, toBusEntry } from '../../lib/outbox/relay.ts';
import type { BusEvent } from '../../runtime/bus-events.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { onSweepSchedule } from '../../services/outbox-relay/handler.ts';
import { relayPorts } from '../../services/outbox-relay/side-effects.ts';
import {
  archivedDetails,
  archivedEvents,
  configureTestEnvironment,
  registry,
  startTestPipeline,
} from '../pipeline/support.ts';
import { countByType, readArchiveFromDisk } from './support/archive.ts';
import { COMMITTED_MARKER, type CommittedReport, crashSample } from './support/crash-sample.ts';
import { outboxOf, outboxRowsFor } from './support/outbox.ts';
import {
  isRunning,
  killIfRunning,
  type ProcessInfo,
  processesMentioning,
  readProcessInfo,
  spawnTs,
  type TsProcess,
  waitUntilEmpty,
} from './support/processes.ts';

const CHILD_SCRIPT = 'test/process/support/land-then-hang.ts';

/** The single element of `list`, failing the test when there are none or several. */
function single<T>(list: readonly T[], what: string): T {
  const [first, ...rest] = list;
  if (first === undefined || rest.length > 0) throw new Error(`Expected one ${what}, found ${list.length}`);
  return first;
}

/** A value set up in beforeAll, or a clear failure when setup did not get that far. */
function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} did not start; see the beforeAll failure`);
  return value;
}

/** Every message parked in a queue DLQ or a bus-rule DLQ, as "service kind: body" lines. */
async function parkedMessages(runtime: Runtime): Promise<string[]> {
  const parked: string[] = [];
  for (const service of runtime.topology.services) {
    for (const kind of ['dlq', 'bus'] as const) {
      for (const message of await runtime.dlq.listDlq(service.name, { kind, max: 10 })) {
        parked.push(`${service.name} ${kind}: ${message.body.slice(0, 300)}`);
      }
    }
  }
  return parked;
}

/** Resolve with the child's report once it prints the marker; reject if it exits or stays silent. */
function waitForMarker(child: TsProcess, timeoutMs: number): Promise<CommittedReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`No outbox commit within ${timeoutMs} ms. Child stderr:\n${child.stderr()}`)),
      timeoutMs,
    );
    const onData = () => {
      const line = child
        .stdout()
        .split('\n')
        .find((candidate) => candidate.startsWith(COMMITTED_MARKER));
      if (!line) return;
      clearTimeout(timer);
      child.child.stdout?.off('data', onData);
      resolve(JSON.parse(line.slice(COMMITTED_MARKER.length)) as CommittedReport);
    };
    child.child.stdout?.on('data', onData);
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`Child exited (${code ?? signal}) before committing. Stderr:\n${child.stderr()}`));
    });
  });
}

describe('a crash between the outbox commit and the publish', () => {
  const file = crashSample();
  let stateDir: string;
  let child: TsProcess | undefined;
  let runtime: Runtime | undefined;
  let committed: CommittedReport;
  let crashExit: { code: number | null; signal: NodeJS.Signals | null };
  let dynamodbAtCrash: ProcessInfo | undefined;
  let leftAfterCrash: ProcessInfo[];
  let archivedBeforeRestart: BusEvent[];

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-crash-'));
    child = spawnTs(CHILD_SCRIPT, [stateDir], { wrapper: false });
    committed = await waitForMarker(child, 60_000);
    dynamodbAtCrash = readProcessInfo(committed.dynamodbPid);
    // A real crash: no signal handler, no teardown, no flush.
    child.child.kill('SIGKILL');
    crashExit = await child.exited;
    // DynamoDB Local's watchdog polls its parent every second.
    leftAfterCrash = await waitUntilEmpty(() => processesMentioning(stateDir), 5_000);
    archivedBeforeRestart = await readArchiveFromDisk(stateDir);

    configureTestEnvironment();
    runtime = await startTestPipeline({ stateDir });
    await waitForTerminalFiles(runtime, 60_000);
  });

  afterAll(async () => {
    await killIfRunning(child);
    await runtime?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('dies with the FileLanded committed but not on the bus', () => {
    expect(crashExit.signal).toBe('SIGKILL');
    expect(committed.landingKey).toBe(file.landingKey);
    expect(countByType(archivedBeforeRestart).FileLanded ?? 0).toBe(0);
    expect(countByType(archivedBeforeRestart)['Object Created']).toBe(1);
  });

  it("stops the crashed process's DynamoDB Local through its watchdog", () => {
    const java = ready(dynamodbAtCrash, 'DynamoDB Local');
    expect(java.command).toContain(join(stateDir, 'dynamodb'));
    expect(isRunning(java)).toBe(false);
    expect(leftAfterCrash.map((info) => `${info.pid} ${info.command}`)).toEqual([]);
  });

  it('publishes the committed FileLanded exactly once after the restart and marks it published', async () => {
    const restarted = ready(runtime, 'The restarted pipeline');
    const landed = (await archivedEvents(restarted, 'FileLanded')).map(
      (event) => event.detail as { eventId: string },
    );
    expect(landed.map((detail) => detail.eventId)).toEqual([committed.eventId]);
    const entry = await outboxOf(restarted).get(committed.eventId);
    expect(entry?.status).toBe('PUBLISHED');
    expect(entry?.pendingShard).toBeUndefined();
  });

  it('validates the file once downstream, with conserved counts', async () => {
    const restarted = ready(runtime, 'The restarted pipeline');
    const validated = single(
      (await archivedDetails(restarted, FileValidatedV1)).filter(
        (event) => event.data.fileId === committed.fileId,
      ),
      'FileValidated',
    );
    expect(validated.causationId).toBe(committed.eventId);
    expect(await outboxRowsFor(restarted, 'FileValidated', committed.fileId)).toHaveLength(1);

    const record = await registry(restarted).get(committed.fileId);
    expect(record?.stage).toBe('VALIDATED');
    expect(record?.lastEventId).toBe(validated.eventId);
    const counts = ready(record?.counts, 'The registry counts');
    expect(counts).toEqual({
      rowsIn: file.expected.rows,
      valid: file.expected.validRows,
      quarantined: file.expected.quarantinedRows,
    });
    expect(counts.rowsIn).toBe(counts.valid + counts.quarantined);
    expect(await parkedMessages(restarted)).toEqual([]);
  });
});

describe('a crash between the publish and the mark', () => {
  const file = crashSample();
  let runtime: Runtime | undefined;
  let relayRuns = false;

  beforeAll(async () => {
    configureTestEnvironment();
    // The real sweep, held back until the test has published by hand and "crashed" before marking.
    runtime = await startTestPipeline({
      workers: {
        'outbox-relay': {
          run: async () => {
            if (relayRuns) await onSweepSchedule();
          },
          intervalMs: 50,
        },
      },
    });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('delivers the republished duplicate but applies its effects once', async () => {
    // Prepare: the FileLanded is committed and pending; nothing consumed it yet.
    const pipeline = ready(runtime, 'The pipeline');
    const poller = ready(pipeline.pollers['schema-validate'], 'The schema-validate poller');
    await landObjects(pipeline, [file]);
    await pipeline.waitForIdle({ timeoutMs: 30_000 });
    const outbox = outboxOf(pipeline);
    const entry = single(
      (await outbox.listPending()).filter((item) => item.type === 'FileLanded'),
      'pending FileLanded',
    );
    const fileId = (JSON.parse(entry.detail) as { data: { fileId: string } }).data.fileId;

    // Act 1: the real relay publishes, then the process dies before marking the entry.
    const crash = new Error('simulated crash after PutEvents, before markPublished');
    await expect(
      relayEntries([toBusEntry(entry)], {
        ...relayPorts(),
        markPublished: async () => {
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    await waitForTerminalFiles(pipeline, 30_000);
    const afterFirstCopy = await registry(pipeline).get(fileId);
    const batchesAfterFirstCopy = poller.stats().batches;
    expect((await outbox.get(entry.eventId))?.status).toBe('PENDING');

    // Act 2: the relay, back up, finds the entry still pending and publishes it again.
    relayRuns = true;
    await pipeline.waitForIdle({ timeoutMs: 30_000 });

    // Assess: two copies of one event on the bus, one set of effects.
    const landed = await archivedDetails(pipeline, FileLandedV1);
    expect(landed.map((detail) => detail.eventId)).toEqual([entry.eventId, entry.eventId]);
    expect((await outbox.get(entry.eventId))?.status).toBe('PUBLISHED');
    expect(poller.stats().batches).toBeGreaterThan(batchesAfterFirstCopy);

    const validated = single(await archivedDetails(pipeline, FileValidatedV1), 'FileValidated');
    expect(validated.data.fileId).toBe(fileId);
    expect(await outboxRowsFor(pipeline, 'FileValidated', fileId)).toHaveLength(1);
    const record = await registry(pipeline).get(fileId);
    expect(afterFirstCopy?.stage).toBe('VALIDATED');
    expect(record).toEqual(afterFirstCopy);
    expect(record?.lastEventId).toBe(validated.eventId);
    expect(await parkedMessages(pipeline)).toEqual([]);
  });
});
