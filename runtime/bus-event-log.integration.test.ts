import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLogEvents } from '../lib/event-log/read-event-log.ts';
import { topology } from '../topology/topology.ts';
import { createArchive } from './bus-archive.ts';
import { eventLogBucket } from './bus-event-log.ts';
import type { BusEvent } from './bus-events.ts';
import { localClientConfig } from './clients.ts';
import { startLocalBus } from './local-bus.ts';
import { provision } from './provision.ts';
import { type Runtime, startRuntime } from './runtime.ts';
import { fileLandedDetail } from './testing/events.ts';
import { drainVisible, recordingLogger, waitFor } from './testing/helpers.ts';

const PAN = '4111111111111111';

/** The local bus writes the event log in the runtime's S3, and the reader finds there exactly what it archived. */
describe('bus event log offline', () => {
  let runtime: Runtime;
  const logger = recordingLogger();
  const bucket = () => eventLogBucket(runtime.resources);
  const everything = () => ({
    from: new Date(Date.now() - 86_400_000),
    to: new Date(Date.now() + 86_400_000),
  });
  const logged = async () =>
    (await eventLogEvents(runtime.clients.s3, bucket(), everything())).map((e) => e.id);
  const keys = async (prefix = '') =>
    (
      (await runtime.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix })))
        .Contents ?? []
    )
      .map((object) => object.Key as string)
      .sort();

  /** An event as the archive of an earlier process holds it. */
  const archivedEvent = (name: string): BusEvent => ({
    version: '0',
    id: `${name}-${Date.now()}`,
    'detail-type': 'FileLanded',
    source: 'finledger.file-landing',
    account: '000000000000',
    time: `${new Date().toISOString().slice(0, 19)}Z`,
    region: runtime.region,
    resources: [],
    detail: fileLandedDetail(1),
  });

  beforeAll(async () => {
    runtime = await startRuntime({ stage: 'evlog', handlers: {}, logger });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('holds exactly the archived events after a landing, notifications under restricted/', async () => {
    // Prepare
    const landing = runtime.resources.buckets.landing?.name as string;
    const upload = (key: string) =>
      runtime.clients.s3.send(new PutObjectCommand({ Bucket: landing, Key: key, Body: 'id\n1\n' }));

    // Act: two landings (one key holding a card number) and one finledger event through the SDK.
    await upload('inbound/acme-bank/transactions/2026-11-19/a.csv');
    await upload(`inbound/acme-bank/transactions/2026-11-19/${PAN}.csv`);
    await runtime.clients.eventbridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: runtime.resources.bus.name,
            Source: 'finledger.file-landing',
            DetailType: 'FileLanded',
            Detail: JSON.stringify(fileLandedDetail(1)),
          },
        ],
      }),
    );
    await waitFor('three archived events', async () => (await runtime.bus.archive.read()).length === 3);
    await runtime.waitForIdle({ timeoutMs: 20_000, runWorkers: false });

    // Assess
    const archived = await runtime.bus.archive.read();
    expect((await logged()).sort()).toEqual(archived.map((event) => event.id).sort());
    expect(await keys('restricted/')).toHaveLength(2);
    expect((await keys()).filter((key) => !key.startsWith('restricted/'))).toEqual([
      expect.stringMatching(/^event-log\/type=FileLanded\/date=\d{4}-\d\d-\d\d\/[^/]+\.jsonl$/),
    ]);
    expect((await keys()).some((key) => key.includes(PAN))).toBe(false);
  });

  it('does not log replayed copies again', async () => {
    // Prepare
    const before = await keys();

    // Act
    const { replayed } = await runtime.bus.replay({ ...everything(), replayName: 'event-log-replay' });

    // Assess
    expect(replayed).toBe(3);
    expect(await keys()).toEqual(before);
  });

  it('still accepts and delivers when the event log cannot be written, and says so in the log', async () => {
    // Prepare: a bus whose S3 refuses every write.
    const failing = new S3Client(localClientConfig('s3', runtime.emulators.endpoints, runtime.region));
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand')
          throw Object.assign(new Error('injected S3 outage'), { name: 'ServiceUnavailable' });
        return next(args);
      },
      { step: 'initialize', name: 'injectOutage' },
    );
    const failingLogger = recordingLogger();
    const bus = await startLocalBus({
      topology: runtime.topology,
      resources: runtime.resources,
      sqs: runtime.clients.sqs,
      s3: failing,
      logger: failingLogger,
    });
    const queue = runtime.resources.services['schema-validate']?.queue.url as string;
    await drainVisible(runtime.clients.sqs, queue);

    // Act
    const result = await bus.putEvents([
      {
        Source: 'finledger.file-landing',
        DetailType: 'FileLanded',
        Detail: JSON.stringify(fileLandedDetail(1)),
      },
    ]);
    await bus.stop();
    failing.destroy();

    // Assess
    const [entry] = result.Entries;
    expect(result.FailedEntryCount).toBe(0);
    expect(
      (await drainVisible(runtime.clients.sqs, queue)).map((m) => JSON.parse(m.Body ?? '{}').id),
    ).toEqual([entry && 'EventId' in entry ? entry.EventId : 'no id']);
    expect(failingLogger.entries).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/event log.*undercounts/) }),
    );
  });

  it('logs on start what a killed bus archived but never delivered', async () => {
    // Prepare: a state folder whose bus archived an event, journalled nothing after it, and was killed.
    const stateDir = await mkdtemp(join(tmpdir(), 'event-log-restart-'));
    const orphan = archivedEvent('orphan');
    await createArchive(join(stateDir, 'bus-archive', `${runtime.resources.bus.name}.jsonl`)).append(orphan);
    const journal = join(stateDir, 'bus-deliveries', `${runtime.resources.bus.name}.txt`);
    await mkdir(dirname(journal), { recursive: true });
    await writeFile(journal, '');

    // Act
    const restarted = await startLocalBus({
      topology: runtime.topology,
      resources: runtime.resources,
      sqs: runtime.clients.sqs,
      s3: runtime.clients.s3,
      stateDir,
      logger: recordingLogger(),
    });
    await restarted.stop();

    // Assess
    expect(await logged()).toContain(orphan.id);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('logs, once, what the archive of a state folder older than the event log holds', async () => {
    // Prepare: resources of their own (an empty event log) and a state folder that archived and delivered two events.
    const resources = await provision(topology, 'evlog-adopt', runtime.emulators.endpoints, {
      region: runtime.region,
    });
    const stateDir = await mkdtemp(join(tmpdir(), 'event-log-adopt-'));
    const old = [archivedEvent('old-1'), archivedEvent('old-2')];
    const archive = createArchive(join(stateDir, 'bus-archive', `${resources.bus.name}.jsonl`));
    for (const event of old) await archive.append(event);
    const journal = join(stateDir, 'bus-deliveries', `${resources.bus.name}.txt`);
    await mkdir(dirname(journal), { recursive: true });
    await writeFile(journal, old.map((event) => `${event.id}\n`).join(''));
    const start = () =>
      startLocalBus({
        topology,
        resources,
        sqs: runtime.clients.sqs,
        s3: runtime.clients.s3,
        stateDir,
        logger: recordingLogger(),
      });
    const objects = async () =>
      (await runtime.clients.s3.send(new ListObjectsV2Command({ Bucket: eventLogBucket(resources) })))
        .KeyCount;

    // Act
    await (await start()).stop();
    const afterFirst = await objects();
    await (await start()).stop();

    // Assess
    const read = await eventLogEvents(runtime.clients.s3, eventLogBucket(resources), everything());
    expect(read.map((event) => event.id).sort()).toEqual(old.map((event) => event.id).sort());
    expect(afterFirst).toBe(1);
    expect(await objects()).toBe(1);
    await rm(stateDir, { recursive: true, force: true });
  });
});
