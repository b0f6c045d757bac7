import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EventBridgeClient,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReplayTarget, replayArchive } from '../cli/commands/replay.ts';
import { printedJson as printed } from '../cli/test-support/printed-json.ts';
import { eventLogEvents } from '../lib/event-log/read-event-log.ts';
import { topology } from '../topology/topology.ts';
import type { BusEvent } from './bus-events.ts';
import { localEventBridgeClient } from './clients.ts';
import { type LocalBus, startLocalBus } from './local-bus.ts';
import { fileLandedDetail } from './testing/events.ts';
import { drainVisible, recordingLogger, startTestStack, type TestStack } from './testing/helpers.ts';

/** The replay API of the local bus, driven by the CLI's own code (`cli/commands/replay.ts`) through the SDK. */
describe('local bus replays (StartReplay, DescribeReplay, ListReplays, ListArchives)', () => {
  let stack: TestStack;
  let stateDir: string;
  let bus: LocalBus;
  let client: EventBridgeClient;
  const queue = (service: string) => stack.resources.services[service]?.queue.url as string;
  const bodies = async (service: string) =>
    (await drainVisible(stack.clients.sqs, queue(service))).map(
      (message) => JSON.parse(message.Body ?? '') as BusEvent,
    );
  const startBus = async () => {
    bus = await startLocalBus({
      topology,
      resources: stack.resources,
      sqs: stack.clients.sqs,
      s3: stack.clients.s3,
      stateDir,
      logger: recordingLogger(),
    });
    client = localEventBridgeClient(bus.endpoint, stack.emulators.region);
  };
  const put = (type: string) =>
    client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: stack.resources.bus.name,
            Source: 'finledger.test',
            DetailType: type,
            Detail: JSON.stringify({ ...fileLandedDetail(1), type }),
          },
        ],
      }),
    );
  const target = (): ReplayTarget => ({
    eventBridge: client,
    busArn: bus.arn,
    archiveArn: bus.archiveArn,
    rules: bus.rules,
    // What `finledger replay` reads: the bus event log in S3, as in AWS.
    archivedEvents: (from, to) =>
      eventLogEvents(stack.clients.s3, stack.resources.buckets['event-log']?.name as string, { from, to }),
  });

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'replays' });
    stateDir = await mkdtemp(join(tmpdir(), 'bus-replays-'));
    await startBus();
  });

  afterAll(async () => {
    client?.destroy();
    await bus?.stop();
    await stack?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('replays exactly the window to the rules of the type asked for, as the dry run predicted', async () => {
    // Prepare: two FileLanded and one RecordsDeduplicated archived and delivered once.
    const from = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
    await put('FileLanded');
    await put('FileLanded');
    await put('RecordsDeduplicated');
    const to = new Date(Date.now() + 1000);
    await Promise.all(['schema-validate', 'settlement-match', 'reconcile'].map(bodies));
    const request = { from, to, type: 'FileLanded', json: true, progress: () => {}, pollMs: 20 };

    // Act
    const dryRun = await printed(() => replayArchive(target(), { ...request, dryRun: true }));
    const replay = await printed(() =>
      replayArchive(target(), { ...request, dryRun: false, replayName: 'replay-filelanded' }),
    );

    // Assess: the prediction, then exactly those deliveries, each marked with the replay's name.
    expect(dryRun).toMatchObject({
      code: 0,
      output: { total: 2, predicted: [{ type: 'FileLanded', consumer: 'schema-validate', events: 2 }] },
    });
    expect(replay).toMatchObject({ code: 0, output: { state: 'COMPLETED', total: 2 } });
    const replayed = await bodies('schema-validate');
    expect(replayed).toHaveLength(2);
    expect(replayed.every((event) => event['replay-name'] === 'replay-filelanded')).toBe(true);
    expect(await bodies('settlement-match')).toEqual([]);
    expect(await bodies('reconcile')).toEqual([]);
  });

  it('lists its archive and replays, refuses a replay name twice, and keeps replays across a restart', async () => {
    // Act
    const archives = await client.send(new ListArchivesCommand({}));
    const again = client.send(
      new StartReplayCommand({
        ReplayName: 'replay-filelanded',
        EventSourceArn: bus.archiveArn,
        EventStartTime: new Date(Date.now() - 60_000),
        EventEndTime: new Date(),
        Destination: { Arn: bus.arn },
      }),
    );
    await expect(again).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    client.destroy();
    await bus.stop();
    await startBus();
    const replays = await client.send(new ListReplaysCommand({ NamePrefix: 'replay-' }));

    // Assess
    expect(archives.Archives).toEqual([
      expect.objectContaining({
        ArchiveName: bus.archiveName,
        EventSourceArn: bus.arn,
        State: 'ENABLED',
        EventCount: 3,
      }),
    ]);
    expect(replays.Replays?.map((replay) => [replay.ReplayName, replay.State])).toEqual([
      ['replay-filelanded', 'COMPLETED'],
    ]);
  });

  it('answers an unknown archive as EventBridge does', async () => {
    // Act
    const attempt = client.send(
      new StartReplayCommand({
        ReplayName: 'replay-unknown-archive',
        EventSourceArn: `${bus.archiveArn}-missing`,
        EventStartTime: new Date(Date.now() - 60_000),
        EventEndTime: new Date(),
        Destination: { Arn: bus.arn },
      }),
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
