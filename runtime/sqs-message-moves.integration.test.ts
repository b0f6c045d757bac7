import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from './clients.ts';
import { type SqsMessageMoves, startSqsMessageMoves } from './sqs-message-moves.ts';
import { drainVisible, recordingLogger, startTestStack, type TestStack, waitFor } from './testing/helpers.ts';

describe('SQS message moves offline (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask)', () => {
  let stack: TestStack;
  let moves: SqsMessageMoves;
  let client: SQSClient;
  const queues = () => stack.resources.services['schema-validate'];
  const park = async (count: number, marker: string) => {
    for (let index = 0; index < count; index += 1)
      await stack.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: queues()?.dlq.url,
          MessageBody: JSON.stringify({ marker, index }),
          MessageAttributes: { origin: { DataType: 'String', StringValue: marker } },
        }),
      );
  };
  const latestTask = async () =>
    (await client.send(new ListMessageMoveTasksCommand({ SourceArn: queues()?.dlq.arn, MaxResults: 1 })))
      .Results?.[0];

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'moves' });
    moves = await startSqsMessageMoves({
      upstream: stack.emulators.endpoints.sqs,
      sqs: stack.clients.sqs,
      resources: stack.resources,
      logger: recordingLogger(),
    });
    client = new SQSClient(localClientConfig('sqs', { sqs: moves.endpoint }, stack.emulators.region));
  });

  afterAll(async () => {
    client?.destroy();
    await moves?.stop();
    await stack?.stop();
  });

  it('moves every message of a DLQ back to the queue whose redrive policy names it, bodies and attributes kept', async () => {
    // Prepare
    await park(12, 'move-all');

    // Act
    const { TaskHandle } = await client.send(
      new StartMessageMoveTaskCommand({ SourceArn: queues()?.dlq.arn }),
    );
    await waitFor(
      'the move task to complete',
      async () => (await latestTask())?.Status === 'COMPLETED',
      60_000,
    );

    // Assess
    const task = await latestTask();
    const moved = await drainVisible(stack.clients.sqs, queues()?.queue.url as string);
    expect(TaskHandle).toEqual(expect.any(String));
    expect(task).toMatchObject({
      Status: 'COMPLETED',
      ApproximateNumberOfMessagesMoved: 12,
      ApproximateNumberOfMessagesToMove: 12,
    });
    expect(
      moved
        .map((message) => (JSON.parse(message.Body ?? '{}') as { index: number }).index)
        .sort((a, b) => a - b),
    ).toEqual([...Array(12).keys()]);
    expect(moved.every((message) => message.MessageAttributes?.origin?.StringValue === 'move-all')).toBe(
      true,
    );
    expect(await drainVisible(stack.clients.sqs, queues()?.dlq.url as string)).toEqual([]);
  });

  it('stops a cancelled task, leaving what it did not move in the DLQ', async () => {
    // Prepare: one message a second, so the task is still running when cancelled.
    await park(5, 'cancel-me');
    const { TaskHandle } = await client.send(
      new StartMessageMoveTaskCommand({ SourceArn: queues()?.dlq.arn, MaxNumberOfMessagesPerSecond: 1 }),
    );

    // Act
    await client.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    await waitFor('the move task to stop', async () => (await latestTask())?.Status === 'CANCELLED', 60_000);

    // Assess: every message is in exactly one of the two queues.
    const moved = (await latestTask())?.ApproximateNumberOfMessagesMoved ?? -1;
    const inQueue = await drainVisible(stack.clients.sqs, queues()?.queue.url as string);
    const inDlq = await drainVisible(stack.clients.sqs, queues()?.dlq.url as string);
    expect(moved).toBeLessThan(5);
    expect(inQueue).toHaveLength(moved);
    expect(inQueue.length + inDlq.length).toBe(5);
  });

  it('passes every other SQS call through to the emulator', async () => {
    // Act
    await client.send(
      new SendMessageCommand({ QueueUrl: queues()?.queue.url, MessageBody: 'through the front' }),
    );

    // Assess
    const received = await drainVisible(stack.clients.sqs, queues()?.queue.url as string);
    expect(received.map((message) => message.Body)).toEqual(['through the front']);
  });
});
