import { randomUUID } from 'node:crypto';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../runtime/clients.ts';
import { startTestStack, type TestStack } from '../../runtime/testing/helpers.ts';
import { type LoggedEvent, partitionOf } from './layout.ts';
import { EventLogReadError, eventLogEvents, readEventLog } from './read-event-log.ts';

/** The reader against the offline S3 (fauxqs), with objects laid out as Firehose writes them. */
describe('readEventLog', () => {
  let stack: TestStack;
  let s3: S3Client;
  const gets: string[] = [];
  const bucket = () => stack.resources.buckets['event-log']?.name as string;

  const event = (type: string, time: string, source = 'finledger.test'): LoggedEvent => ({
    version: '0',
    id: randomUUID(),
    'detail-type': type,
    source,
    account: '000000000000',
    time,
    region: 'us-east-1',
    resources: [],
    detail: { type },
  });
  /** One object as Firehose delivers it: newline-delimited envelopes, in their partition, under a unique name. */
  const deliver = (partition: string, events: readonly LoggedEvent[], body?: string) =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: `${partition}finledger-test-EventLogStream-1-${randomUUID()}`,
        Body: body ?? events.map((logged) => `${JSON.stringify(logged)}\n`).join(''),
      }),
    );
  const deliverEach = (...events: LoggedEvent[]) =>
    Promise.all(events.map((logged) => deliver(partitionOf(logged), [logged])));
  const ids = (events: readonly LoggedEvent[]) => events.map((logged) => logged.id).sort();
  const window = (from: string, to: string, types?: string[]) => ({
    from: new Date(from),
    to: new Date(to),
    ...(types ? { types } : {}),
  });

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'event-log' });
    // A client of its own that records every object read, so a test can see which partitions were opened.
    s3 = new S3Client(localClientConfig('s3', stack.emulators.endpoints, stack.emulators.region));
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectCommand') gets.push((args.input as { Key: string }).Key);
        return next(args);
      },
      { step: 'initialize', name: 'recordReads' },
    );
  });

  beforeEach(async () => {
    gets.length = 0;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket() }));
    const keys = (listed.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
    if (keys.length > 0)
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket(), Delete: { Objects: keys } }));
  });

  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
  });

  it('reads events exactly at both ends of a window that crosses midnight, and opens only its dates', async () => {
    // Prepare
    const before = event('FileLanded', '2026-11-19T23:59:58Z');
    const first = event('FileLanded', '2026-11-19T23:59:59Z');
    const midnight = event('FileLanded', '2026-11-20T00:00:00Z');
    const last = event('FileValidated', '2026-11-20T00:00:01Z');
    const after = event('FileValidated', '2026-11-20T00:00:02Z');
    const nextDay = event('FileLanded', '2026-11-21T00:00:00Z');
    await deliverEach(before, first, midnight, last, after, nextDay);

    // Act
    const read = await eventLogEvents(s3, bucket(), window('2026-11-19T23:59:59Z', '2026-11-20T00:00:01Z'));

    // Assess
    expect(ids(read)).toEqual(ids([first, midnight, last]));
    expect(gets.every((key) => /\/date=2026-11-(19|20)\//.test(key))).toBe(true);
    expect(gets).toHaveLength(5);
  });

  it('widens a window to whole seconds, as EventBridge compares event times', async () => {
    // Prepare
    const atSecond = event('FileLanded', '2026-11-19T10:00:00Z');
    const nextSecond = event('FileLanded', '2026-11-19T10:00:01Z');
    await deliverEach(atSecond, nextSecond);

    // Act
    const read = await eventLogEvents(
      s3,
      bucket(),
      window('2026-11-19T10:00:00.400Z', '2026-11-19T10:00:00.600Z'),
    );

    // Assess
    expect(ids(read)).toEqual(ids([atSecond, nextSecond]));
  });

  it.each([
    ['only the types asked for', ['FileLanded'], ['landed']],
    ['a restricted type, by the name it has in the events', ['Object Created'], ['notification']],
    ['every type of both zones when none is asked for', undefined, ['landed', 'validated', 'notification']],
  ])('reads %s', async (_name, types, expected) => {
    // Prepare
    const events = {
      landed: event('FileLanded', '2026-11-19T10:00:00Z'),
      validated: event('FileValidated', '2026-11-19T10:00:00Z'),
      notification: event('Object Created', '2026-11-19T10:00:00Z', 'aws.s3'),
    };
    await deliverEach(...Object.values(events));

    // Act
    const read = await eventLogEvents(
      s3,
      bucket(),
      window('2026-11-19T00:00:00Z', '2026-11-19T23:59:59Z', types),
    );

    // Assess
    expect(ids(read)).toEqual(ids(expected.map((name) => events[name as keyof typeof events])));
  });

  it('keeps landing notifications under the restricted card-data prefix and reads them from there', async () => {
    // Prepare
    const notification = event('Object Created', '2026-11-19T10:00:00Z', 'aws.s3');
    await deliverEach(notification);

    // Act
    const read = await eventLogEvents(s3, bucket(), window('2026-11-19T00:00:00Z', '2026-11-20T00:00:00Z'));

    // Assess
    expect(ids(read)).toEqual([notification.id]);
    expect(gets).toEqual([
      expect.stringMatching(/^restricted\/event-log\/type=Object%20Created\/date=2026-11-19\//),
    ]);
  });

  it('yields an event Firehose delivered twice once', async () => {
    // Prepare: the same record in two objects of its partition, and twice in one object.
    const twice = event('FileLanded', '2026-11-19T10:00:00Z');
    const other = event('FileLanded', '2026-11-19T10:00:05Z');
    await deliver(partitionOf(twice), [twice, other, twice]);
    await deliver(partitionOf(twice), [twice]);

    // Act
    const read: LoggedEvent[] = [];
    for await (const logged of readEventLog(
      s3,
      bucket(),
      window('2026-11-19T00:00:00Z', '2026-11-19T23:00:00Z'),
    ))
      read.push(logged);

    // Assess
    expect(read.map((logged) => logged.id)).toEqual([twice.id, other.id]);
  });

  it.each([
    ['a line that is not JSON', '{"id":'],
    ['JSON that is not an envelope', '{"hello":"world"}'],
  ])('names the object and line of %s, and what to do', async (_name, line) => {
    // Prepare
    const good = event('FileLanded', '2026-11-19T10:00:00Z');
    await deliver(partitionOf(good), [], `${JSON.stringify(good)}\n\n${line}\n`);

    // Act
    const reading = eventLogEvents(s3, bucket(), window('2026-11-19T00:00:00Z', '2026-11-19T23:00:00Z'));

    // Assess
    await expect(reading).rejects.toBeInstanceOf(EventLogReadError);
    await expect(reading).rejects.toThrow(
      /^Event log object s3:\/\/[^ ]+\/event-log\/type=FileLanded\/date=2026-11-19\/[^ ]+ line 3 .*restore it, or delete it/,
    );
  });
});
