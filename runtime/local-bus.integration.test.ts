import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { topology } from '../topology/topology.ts';
import { createArchive } from './bus-archive.ts';
import type { BusEvent } from './bus-events.ts';
import { localClientConfig, localEventBridgeClient } from './clients.ts';
import { type LocalBus, startLocalBus } from './local-bus.ts';
import { fileLandedDetail, objectCreatedDetail } from './testing/events.ts';
import { drainVisible, recordingLogger, startTestStack, type TestStack } from './testing/helpers.ts';

describe('local bus', () => {
  let stack: TestStack;
  let bus: LocalBus;
  let client: EventBridgeClient;
  const queue = (service: string) => stack.resources.services[service]?.queue.url as string;
  const busDlq = (service: string) => stack.resources.services[service]?.busDlq.url as string;
  const bodies = async (url: string) =>
    (await drainVisible(stack.clients.sqs, url)).map((message) => JSON.parse(message.Body ?? '') as BusEvent);
  const putFileLanded = (version: number, data: Record<string, unknown> = {}) =>
    client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: stack.resources.bus.name,
            Source: 'finledger.file-landing',
            DetailType: 'FileLanded',
            Detail: JSON.stringify(fileLandedDetail(version, data)),
          },
        ],
      }),
    );

  /** A second bus on the same queues, persisting to `stateDir` (as a restarted runtime's bus would). */
  const startBusOn = (stateDir: string) =>
    startLocalBus({
      topology,
      resources: stack.resources,
      sqs: stack.clients.sqs,
      s3: stack.clients.s3,
      stateDir,
      logger: recordingLogger(),
    });
  const archiveOf = (stateDir: string) => join(stateDir, 'bus-archive', `${stack.resources.bus.name}.jsonl`);
  const journalOf = (stateDir: string) => join(stateDir, 'bus-deliveries', `${stack.resources.bus.name}.txt`);

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'bus' });
    bus = await startLocalBus({
      topology,
      resources: stack.resources,
      sqs: stack.clients.sqs,
      s3: stack.clients.s3,
      logger: recordingLogger(),
    });
    client = localEventBridgeClient(bus.endpoint, stack.emulators.region);
  });

  afterAll(async () => {
    client?.destroy();
    await bus?.stop();
    await stack?.stop();
  });

  beforeEach(async () => {
    const urls = Object.values(stack.resources.services).flatMap((service) => [
      service.queue.url,
      service.busDlq.url,
    ]);
    await Promise.all(urls.map((url) => stack.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: url }))));
  });

  it('routes a FileLanded v1 event to the schema-validate queue only, as the full EventBridge event', async () => {
    // Act
    const response = await putFileLanded(1, { marker: 'v1' });

    // Assess
    const [delivered, ...others] = await bodies(queue('schema-validate'));
    expect(response.FailedEntryCount).toBe(0);
    expect(others).toEqual([]);
    expect(await bodies(queue('file-landing'))).toEqual([]);
    expect(delivered).toMatchObject({
      version: '0',
      id: response.Entries?.[0]?.EventId,
      'detail-type': 'FileLanded',
      source: 'finledger.file-landing',
      account: '000000000000',
      region: 'us-east-1',
      resources: [],
      detail: { type: 'FileLanded', version: 1, data: { marker: 'v1' } },
    });
    expect(delivered?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('routes a FileLanded v2 event to no queue but archives it', async () => {
    // Act
    const response = await putFileLanded(2, { marker: 'v2-only' });

    // Assess
    expect(response.FailedEntryCount).toBe(0);
    expect(await bodies(queue('schema-validate'))).toEqual([]);
    expect(await bodies(queue('file-landing'))).toEqual([]);
    const archived = await bus.archive.read();
    expect(archived.find((event) => event.id === response.Entries?.[0]?.EventId)?.detail).toMatchObject({
      version: 2,
    });
  });

  it('routes an S3 Object Created event for the landing bucket, and only that bucket, to file-landing', async () => {
    // Prepare
    const landing = stack.resources.buckets.landing?.name as string;
    const raw = stack.resources.buckets.raw?.name as string;
    const entry = (bucket: string) => ({
      Source: 'aws.s3',
      DetailType: 'Object Created',
      Resources: [`arn:aws:s3:::${bucket}`],
      Detail: JSON.stringify(objectCreatedDetail(bucket, 'inbound/acme/transactions/2024-05-01/a.csv')),
    });

    // Act
    const result = await bus.putEvents([entry(landing), entry(raw)], { allowAwsSources: true });

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    const delivered = await bodies(queue('file-landing'));
    expect(delivered.map((event) => (event.detail as { bucket: { name: string } }).bucket.name)).toEqual([
      landing,
    ]);
    expect(await bodies(queue('schema-validate'))).toEqual([]);
  });

  it('reports invalid entries with an error code and counts them in FailedEntryCount', async () => {
    // Prepare
    const valid = { Source: 'finledger.test', DetailType: 'Noise', Detail: '{}' };

    // Act
    const response = await client.send(
      new PutEventsCommand({
        Entries: [
          valid,
          { DetailType: 'Noise', Detail: '{}' },
          { ...valid, Detail: '{not json' },
          { ...valid, EventBusName: 'someone-elses-bus' },
          { ...valid, Source: 'aws.s3' },
        ],
      }),
    );

    // Assess
    expect(response.FailedEntryCount).toBe(4);
    expect(response.Entries?.[0]?.EventId).toBeDefined();
    expect(response.Entries?.slice(1).map((entry) => entry.ErrorCode)).toEqual([
      'InvalidArgument',
      'MalformedDetail',
      'InvalidArgument',
      'NotAuthorizedForSourceException',
    ]);
  });

  it('rejects the whole request, like AWS, when its entries exceed 256 KB', async () => {
    // Prepare
    const big = JSON.stringify({ blob: 'x'.repeat(256 * 1024) });

    // Act
    const attempt = client.send(
      new PutEventsCommand({ Entries: [{ Source: 'finledger.test', DetailType: 'Big', Detail: big }] }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('dead-letters the event with EventBridge attributes when the target queue keeps failing', async () => {
    // Prepare
    const target = queue('schema-validate');
    const failing = new SQSClient(
      localClientConfig('sqs', stack.emulators.endpoints, stack.emulators.region),
    );
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { QueueUrl?: string };
        if (context.commandName === 'SendMessageCommand' && input.QueueUrl === target) {
          throw Object.assign(new Error('injected outage'), { name: 'ServiceUnavailable' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectOutage' },
    );
    const flakyBus = await startLocalBus({
      topology,
      resources: stack.resources,
      sqs: failing,
      s3: stack.clients.s3,
      logger: recordingLogger(),
    });
    const flakyClient = localEventBridgeClient(flakyBus.endpoint, stack.emulators.region);

    // Act
    const response = await flakyClient.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'finledger.file-landing',
            DetailType: 'FileLanded',
            Detail: JSON.stringify(fileLandedDetail(1)),
          },
        ],
      }),
    );
    flakyClient.destroy();
    await flakyBus.stop();
    failing.destroy();

    // Assess
    const [parked, ...others] = await drainVisible(stack.clients.sqs, busDlq('schema-validate'));
    const rule = flakyBus.rules.find((candidate) => candidate.service === 'schema-validate');
    expect(response.FailedEntryCount).toBe(0);
    expect(others).toEqual([]);
    expect(JSON.parse(parked?.Body ?? '').id).toBe(response.Entries?.[0]?.EventId);
    expect(parked?.MessageAttributes?.RULE_ARN?.StringValue).toBe(rule?.arn);
    expect(parked?.MessageAttributes?.TARGET_ARN?.StringValue).toBe(rule?.target.arn);
    expect(parked?.MessageAttributes?.ERROR_CODE?.StringValue).toBe('SDK_CLIENT_ERROR');
    expect(parked?.MessageAttributes?.ERROR_MESSAGE?.StringValue).toBe('injected outage');
    expect(await bodies(target)).toEqual([]);
  });

  it('replays archived events in the window with replay-name, routes them again and does not re-archive them', async () => {
    // Prepare
    const from = new Date();
    const first = await putFileLanded(1, { marker: 'replay-me' });
    const second = await putFileLanded(1, { marker: 'replay-me' });
    await bodies(queue('schema-validate'));
    const archivedBefore = (await bus.archive.read()).length;

    // Act
    const result = await bus.replay({
      from,
      to: new Date(),
      replayName: 'test-replay',
      filter: (event) => (event.detail as { data?: { marker?: string } }).data?.marker === 'replay-me',
    });

    // Assess
    const replayed = await bodies(queue('schema-validate'));
    expect(result.replayed).toBe(2);
    expect(replayed.map((event) => event.id).sort()).toEqual(
      [first.Entries?.[0]?.EventId, second.Entries?.[0]?.EventId].sort(),
    );
    expect(replayed.every((event) => event['replay-name'] === 'test-replay')).toBe(true);
    expect((await bus.archive.read()).length).toBe(archivedBefore);
  });

  it('delivers on start an event a killed bus archived but never delivered, and only that one', async () => {
    // Prepare: a state folder whose bus archived two events and journalled the first one delivered.
    const stateDir = await mkdtemp(join(tmpdir(), 'bus-journal-'));
    const first = await putFileLanded(1, { marker: 'delivered-before' });
    const [delivered] = await bodies(queue('schema-validate'));
    const archived: BusEvent = { ...(delivered as BusEvent), id: 'archived-only' };
    const archive = createArchive(archiveOf(stateDir));
    await archive.append(delivered as BusEvent);
    await archive.append(archived);
    const journal = journalOf(stateDir);
    await mkdir(dirname(journal), { recursive: true });
    await writeFile(journal, `${first.Entries?.[0]?.EventId}\n`);

    // Act
    await (await startBusOn(stateDir)).stop();

    // Assess
    expect((await bodies(queue('schema-validate'))).map((event) => event.id)).toEqual(['archived-only']);
    expect((await readFile(journal, 'utf8')).split('\n').filter(Boolean)).toEqual([
      first.Entries?.[0]?.EventId,
      'archived-only',
    ]);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('takes what a state folder archived before the journal existed as delivered', async () => {
    // Prepare
    const stateDir = await mkdtemp(join(tmpdir(), 'bus-journal-'));
    await putFileLanded(1, { marker: 'old' });
    const [old] = await bodies(queue('schema-validate'));
    await createArchive(archiveOf(stateDir)).append(old as BusEvent);

    // Act
    await (await startBusOn(stateDir)).stop();

    // Assess
    expect(await bodies(queue('schema-validate'))).toEqual([]);
    const journal = journalOf(stateDir);
    expect((await readFile(journal, 'utf8')).trim()).toBe((old as BusEvent).id);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('lists its rules as data', () => {
    // Assess
    expect(bus.rules.map((rule) => [rule.service, rule.eventPattern])).toEqual([
      [
        'file-landing',
        {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { bucket: { name: ['finledger-bus-landing'] } },
        },
      ],
      ['schema-validate', { 'detail-type': ['FileLanded'], detail: { version: [1] } }],
      ['dedup', { 'detail-type': ['FileValidated'], detail: { version: [1] } }],
      ['settlement-match', { 'detail-type': ['RecordsDeduplicated'], detail: { version: [1] } }],
      ['settlement-match', { 'detail-type': ['RecordsDeduplicated'], detail: { version: [2] } }],
      ['reconcile', { 'detail-type': ['RecordsDeduplicated'], detail: { version: [1] } }],
      ['reconcile', { 'detail-type': ['RecordsDeduplicated'], detail: { version: [2] } }],
      ['reconcile', { 'detail-type': ['FileRejected'], detail: { version: [1] } }],
      ['ready-publisher', { 'detail-type': ['ReconciliationCompleted'], detail: { version: [1] } }],
      ['ready-publisher', { 'detail-type': ['SettlementsMatched'], detail: { version: [1] } }],
      ['ready-publisher', { 'detail-type': ['SettlementsMatched'], detail: { version: [2] } }],
    ]);
  });
});
