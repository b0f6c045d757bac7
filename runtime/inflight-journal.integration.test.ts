import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInflightJournal, inflightDir, releaseInflight } from './inflight-journal.ts';
import { recordingLogger, startTestStack, type TestStack } from './testing/helpers.ts';

const SERVICE = 'file-landing';

describe('releaseInflight', () => {
  let stack: TestStack;
  let stateDir: string;
  const queueUrl = () => stack.resources.services[SERVICE]?.queue.url ?? expect.fail('no file-landing queue');
  const receive = async (max: number, waitTimeSeconds: number) =>
    (
      await stack.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl(),
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitTimeSeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      )
    ).Messages ?? [];

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'inflight' });
  });

  afterAll(async () => {
    await stack?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-release-'));
    await stack.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl() }));
  });

  it('makes the journaled messages visible at once and skips handles already settled', async () => {
    // Prepare: two messages received by a "dead" poller, one of which it had deleted before dying.
    await stack.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl(),
        Entries: [
          { Id: 'a', MessageBody: 'held' },
          { Id: 'b', MessageBody: 'settled' },
        ],
      }),
    );
    const received = await receive(2, 1);
    expect(received).toHaveLength(2);
    const journal = createInflightJournal(inflightDir(stateDir), 'finledger-inflight-file-landing');
    await journal.record(
      received.map((message) => ({
        queueUrl: queueUrl(),
        receiptHandle: message.ReceiptHandle ?? '',
        messageId: message.MessageId ?? '',
      })),
    );
    const settled = received.find((message) => message.Body === 'settled');
    await stack.clients.sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl(), ReceiptHandle: settled?.ReceiptHandle }),
    );
    const logger = recordingLogger();

    // Act
    const report = await releaseInflight({ sqs: stack.clients.sqs, stateDir, logger });
    const redelivered = await receive(10, 3);

    // Assess
    expect(report).toEqual({ journals: 1, released: 1, alreadyGone: 1, failed: 0 });
    expect(redelivered.map((message) => [message.Body, message.Attributes?.ApproximateReceiveCount])).toEqual(
      [['held', '2']],
    );
    expect(await readdir(inflightDir(stateDir))).toEqual([]);
    expect(logger.entries).toEqual([
      { level: 'info', message: 'released messages left in flight by a previous run', data: report },
    ]);
  });

  it('does nothing and logs nothing without journals', async () => {
    const logger = recordingLogger();

    const report = await releaseInflight({ sqs: stack.clients.sqs, stateDir, logger });

    expect(report).toEqual({ journals: 0, released: 0, alreadyGone: 0, failed: 0 });
    expect(logger.entries).toEqual([]);
  });

  it('warns about an unreadable journal and deletes it with any half-written temp file', async () => {
    // Prepare
    const dir = inflightDir(stateDir);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'finledger-inflight-file-landing.json'), '[{"queueUrl":');
    await writeFile(join(dir, 'finledger-inflight-file-landing.json.123.tmp'), '[');
    const logger = recordingLogger();

    // Act
    const report = await releaseInflight({ sqs: stack.clients.sqs, stateDir, logger });

    // Assess
    expect(report).toEqual({ journals: 1, released: 0, alreadyGone: 0, failed: 0 });
    expect(logger.entries.map((entry) => entry.level)).toEqual(['warn', 'info']);
    expect(await readdir(dir)).toEqual([]);
  });
});
