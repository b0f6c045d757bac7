import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landObjects } from '../../cli/main-job.ts';
import { waitForTerminalFiles } from '../../cli/pipeline-state.ts';
import { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import { FileValidatedV1 } from '../../contracts/events/file-validated.ts';
import { DynamoOutboxStore } from '../../lib/outbox/dynamo-outbox-store.ts';
import type { OutboxItem } from '../../lib/outbox/outbox-item.ts';
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

function outboxOf(runtime: Runtime): DynamoOutboxStore {
  return new DynamoOutboxStore(
    DynamoDBDocumentClient.from(runtime.clients.dynamodb),
    runtime.resources.tables.outbox!.name,
  );
}

/** Every outbox row of one event type about one file (the consumer's committed side effects). */
async function outboxRowsFor(runtime: Runtime, type: string, fileId: string): Promise<OutboxItem[]> {
  const result = await DynamoDBDocumentClient.from(runtime.clients.dynamodb).send(
    new ScanCommand({
      TableName: runtime.resources.tables.outbox!.name,
      FilterExpression: '#type = :type AND correlationId = :fileId',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': type, ':fileId': fileId },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []) as OutboxItem[];
}

async function dlqMessageCount(runtime: Runtime): Promise<number> {
  let total = 0;
  for (const service of runtime.topology.services) {
    for (const kind of ['dlq', 'bus'] as const) {
      total += (await runtime.dlq.listDlq(service.name, { kind, max: 10 })).length;
    }
  }
  return total;
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
    expect(dynamodbAtCrash?.command).toContain(join(stateDir, 'dynamodb'));
    expect(isRunning(dynamodbAtCrash!)).toBe(false);
    expect(leftAfterCrash.map((info) => `${info.pid} ${info.command}`)).toEqual([]);
  });

  it('publishes the committed FileLanded exactly once after the restart and marks it published', async () => {
    const landed = (await archivedEvents(runtime!, 'FileLanded')).map(
      (event) => event.detail as { eventId: string },
    );
    expect(landed.map((detail) => detail.eventId)).toEqual([committed.eventId]);
    const entry = await outboxOf(runtime!).get(committed.eventId);
    expect(entry?.status).toBe('PUBLISHED');
    expect(entry?.pendingShard).toBeUndefined();
  });

  it('validates the file once downstream, with conserved counts', async () => {
    const validated = (await archivedDetails(runtime!, FileValidatedV1)).filter(
      (event) => event.data.fileId === committed.fileId,
    );
    expect(validated).toHaveLength(1);
    expect(validated[0]!.causationId).toBe(committed.eventId);
    expect(await outboxRowsFor(runtime!, 'FileValidated', committed.fileId)).toHaveLength(1);

    const record = await registry(runtime!).get(committed.fileId);
    expect(record?.stage).toBe('VALIDATED');
    expect(record?.lastEventId).toBe(validated[0]!.eventId);
    expect(record?.counts).toEqual({
      rowsIn: file.expected.rows,
      valid: file.expected.validRows,
      quarantined: file.expected.quarantinedRows,
    });
    expect(record!.counts!.rowsIn).toBe(record!.counts!.valid + record!.counts!.quarantined);
    expect(await dlqMessageCount(runtime!)).toBe(0);
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
    await landObjects(runtime!, [file]);
    await runtime!.waitForIdle({ timeoutMs: 30_000 });
    const outbox = outboxOf(runtime!);
    const pending = (await outbox.listPending()).filter((item) => item.type === 'FileLanded');
    expect(pending).toHaveLength(1);
    const entry = pending[0]!;
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
    await waitForTerminalFiles(runtime!, 30_000);
    const afterFirstCopy = await registry(runtime!).get(fileId);
    const batchesAfterFirstCopy = runtime!.pollers['schema-validate']!.stats().batches;
    expect((await outbox.get(entry.eventId))?.status).toBe('PENDING');

    // Act 2: the relay, back up, finds the entry still pending and publishes it again.
    relayRuns = true;
    await runtime!.waitForIdle({ timeoutMs: 30_000 });

    // Assess: two copies of one event on the bus, one set of effects.
    const landed = await archivedDetails(runtime!, FileLandedV1);
    expect(landed.map((detail) => detail.eventId)).toEqual([entry.eventId, entry.eventId]);
    expect((await outbox.get(entry.eventId))?.status).toBe('PUBLISHED');
    expect(runtime!.pollers['schema-validate']!.stats().batches).toBeGreaterThan(batchesAfterFirstCopy);

    const validated = await archivedDetails(runtime!, FileValidatedV1);
    expect(validated).toHaveLength(1);
    expect(validated[0]!.data.fileId).toBe(fileId);
    expect(await outboxRowsFor(runtime!, 'FileValidated', fileId)).toHaveLength(1);
    const record = await registry(runtime!).get(fileId);
    expect(afterFirstCopy?.stage).toBe('VALIDATED');
    expect(record).toEqual(afterFirstCopy);
    expect(record?.lastEventId).toBe(validated[0]!.eventId);
    expect(await dlqMessageCount(runtime!)).toBe(0);
  });
});
