import { PurgeQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { topology } from '../topology/topology.ts';
import { dlqTools } from './dlq.ts';
import { queueDepths } from './idle.ts';
import { type Poller, type SqsHandler, startPoller } from './poller.ts';
import { recordingLogger, startTestStack, type TestStack, waitFor } from './testing/helpers.ts';

const SERVICE = 'file-landing';
const settings = topology.services.find((service) => service.name === SERVICE)?.queue;

describe('poller', () => {
  let stack: TestStack;
  let poller: Poller | undefined;
  const queues = () =>
    stack.resources.services[SERVICE] ?? expect.fail('file-landing queues were not provisioned');
  const depth = async (url: string) => {
    const [queue] = await queueDepths(stack.clients.sqs, [url]);
    return (queue?.visible ?? 0) + (queue?.inFlight ?? 0) + (queue?.delayed ?? 0);
  };
  const send = (bodies: string[]) =>
    stack.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queues().queue.url,
        Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
  const start = (handler: SqsHandler, logger = recordingLogger()) => {
    poller = startPoller({
      functionName: 'finledger-test-file-landing',
      sqs: stack.clients.sqs,
      queue: queues().queue,
      region: stack.emulators.region,
      handler,
      batchSize: 3,
      timeoutSeconds: 30,
      retryDelaySeconds: 0,
      logger,
    });
    return poller;
  };

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'poll' });
  });

  afterAll(async () => {
    await poller?.stop();
    await stack?.stop();
  });

  beforeEach(async () => {
    await poller?.stop();
    poller = undefined;
    for (const url of [queues().queue.url, queues().dlq.url]) {
      await stack.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    }
  });

  it('retries only the failed record of a batch until SQS moves it to the DLQ with its original body', async () => {
    // Prepare
    const seen = new Map<string, number>();
    const batchSizes: number[] = [];
    await send(['good-1', 'poison', 'good-2']);

    // Act
    start(async (event: SQSEvent) => {
      batchSizes.push(event.Records.length);
      for (const record of event.Records) seen.set(record.body, (seen.get(record.body) ?? 0) + 1);
      return {
        batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({
          itemIdentifier: r.messageId,
        })),
      };
    });
    await waitFor('the poison message to reach the DLQ', async () => (await depth(queues().dlq.url)) === 1);
    await waitFor('the source queue to empty', async () => (await depth(queues().queue.url)) === 0);

    // Assess
    const parked = await dlqTools(stack.clients.sqs, stack.resources).listDlq(SERVICE);
    expect(batchSizes[0]).toBe(3);
    expect(seen.get('good-1')).toBe(1);
    expect(seen.get('good-2')).toBe(1);
    expect(seen.get('poison')).toBe(settings?.maxReceiveCount);
    expect(parked.map((message) => message.body)).toEqual(['poison']);
    expect(poller?.stats()).toMatchObject({ succeeded: 2, failed: settings?.maxReceiveCount });
  });

  it('retries the whole batch when the handler throws, and logs instead of crashing', async () => {
    // Prepare
    const receiveCounts = new Map<string, string[]>();
    const logger = recordingLogger();
    let calls = 0;
    await send(['a', 'b', 'c']);

    // Act
    start(async (event) => {
      calls++;
      for (const record of event.Records) {
        receiveCounts.set(record.body, [
          ...(receiveCounts.get(record.body) ?? []),
          record.attributes.ApproximateReceiveCount,
        ]);
      }
      if (calls === 1) throw new Error('downstream unavailable');
    }, logger);
    await waitFor(
      'the batch to succeed on retry',
      async () => calls >= 2 && (await depth(queues().queue.url)) === 0,
    );

    // Assess
    expect(Object.fromEntries(receiveCounts)).toEqual({ a: ['1', '2'], b: ['1', '2'], c: ['1', '2'] });
    expect(logger.entries.find((entry) => entry.level === 'error')?.data).toMatchObject({
      error: 'downstream unavailable',
    });
    expect(await depth(queues().dlq.url)).toBe(0);
  });

  it('hands the handler real-shaped records and a context counting down from the timeout', async () => {
    // Prepare
    let captured: { event: SQSEvent; remaining: number } | undefined;
    await send(['shape']);

    // Act
    start(async (event, context) => {
      captured = { event, remaining: context.getRemainingTimeInMillis() };
    });
    await waitFor('the handler to run', () => captured !== undefined);

    // Assess
    const record = captured?.event.Records[0];
    expect(record).toMatchObject({
      body: 'shape',
      eventSource: 'aws:sqs',
      eventSourceARN: queues().queue.arn,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', SenderId: '000000000000' },
    });
    expect(record?.attributes.SentTimestamp).toMatch(/^\d+$/);
    expect(record?.attributes.ApproximateFirstReceiveTimestamp).toMatch(/^\d+$/);
    expect(record?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(captured?.remaining).toBeGreaterThan(29_000);
    expect(captured?.remaining).toBeLessThanOrEqual(30_000);
  });

  it('fails the batch of a handler that mutates a frozen event', async () => {
    // Prepare
    const logger = recordingLogger();
    await send(['do-not-touch']);

    // Act
    poller = startPoller({
      functionName: 'finledger-test-file-landing',
      sqs: stack.clients.sqs,
      queue: queues().queue,
      region: stack.emulators.region,
      handler: async (event) => {
        (event.Records[0] as { body: string }).body = 'mutated';
      },
      batchSize: 1,
      timeoutSeconds: 30,
      freezeEvent: true,
      logger,
    });
    await waitFor('the mutation to be reported', () =>
      logger.entries.some((entry) => entry.level === 'error'),
    );
    await poller.stop();

    // Assess
    expect(logger.entries[0]?.data).toMatchObject({ errorName: 'TypeError' });
    expect(await depth(queues().queue.url)).toBe(1);
  });

  it('finishes the in-flight batch before stop() resolves', async () => {
    // Prepare
    let finished = false;
    await send(['slow']);
    let started = false;
    start(async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished = true;
    });
    await waitFor('the handler to start', () => started);

    // Act
    await poller?.stop();

    // Assess
    expect(finished).toBe(true);
    expect(await depth(queues().queue.url)).toBe(0);
  });

  it('redrives DLQ messages back to the source queue with their body and attributes', async () => {
    // Prepare
    const tools = dlqTools(stack.clients.sqs, stack.resources);
    await stack.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queues().dlq.url,
        Entries: [
          {
            Id: '1',
            MessageBody: 'parked-1',
            MessageAttributes: { origin: { DataType: 'String', StringValue: 'test' } },
          },
          { Id: '2', MessageBody: 'parked-2' },
        ],
      }),
    );
    const delivered: { body: string; origin?: string }[] = [];

    // Act
    const { moved } = await tools.redriveDlq(SERVICE);
    start(async (event) => {
      for (const record of event.Records) {
        delivered.push({ body: record.body, origin: record.messageAttributes.origin?.stringValue });
      }
    });
    await waitFor('the redriven messages to be processed', () => delivered.length === 2);

    // Assess
    expect(moved).toBe(2);
    expect(await depth(queues().dlq.url)).toBe(0);
    expect(delivered.sort((x, y) => x.body.localeCompare(y.body))).toEqual([
      { body: 'parked-1', origin: 'test' },
      { body: 'parked-2', origin: undefined },
    ]);
  });
});
