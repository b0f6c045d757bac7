import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeadLetterQueue, DLQ_EXIT, redriveDlqs } from '../../cli/commands/dlq.ts';
import { printedJson } from '../../cli/test-support/printed-json.ts';
import { peekMessages } from '../../runtime/dlq.ts';
import { silentLogger } from '../../runtime/logger.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { startRuntime } from '../../runtime/runtime.ts';
import { drainVisible, waitFor } from '../../runtime/testing/helpers.ts';
import { killIfRunning, spawnTs, type TsProcess } from './support/processes.ts';
import { MOVED_MARKER, type RedriveRequest } from './support/redrive-selected.ts';

const SELECTED = Array.from({ length: 10 }, (_, index) => `rejected-${index}`);
const OTHERS = Array.from({ length: 4 }, (_, index) => `ready-${index}`);
const idOf = (message: { body: string }) => (JSON.parse(message.body) as { id: string }).id;

/**
 * `dlq redrive --type` killed midway (SIGKILL of the process, the redrive a few messages in) and run again: every
 * selected message is delivered — at most the one in flight at the kill twice, the same event, which the idempotent
 * consumer absorbs — and every other message is still in the DLQ.
 */
describe('a selective redrive killed midway', () => {
  let runtime: Runtime;
  let child: TsProcess | undefined;

  beforeAll(async () => {
    // No consumers: what the redrive delivers stays in the service queue, where the test counts it.
    runtime = await startRuntime({
      stage: 'redrivekill',
      handlers: {},
      workers: {},
      s3Notifications: false,
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await killIfRunning(child);
    await runtime?.stop();
  });

  it('leaves each message in the DLQ or delivered, and the rerun delivers the rest', async () => {
    // Prepare: reconcile's rule DLQ holds ten FileRejected events to redrive and four DatasetReady to leave alone.
    const reconcile = runtime.resources.services.reconcile ?? expect.fail('the topology has no reconcile');
    const queue: DeadLetterQueue = {
      service: 'reconcile',
      kind: 'rule',
      ...reconcile.busDlq,
      targetUrl: reconcile.queue.url,
    };
    for (const [type, ids] of [
      ['FileRejected', SELECTED],
      ['DatasetReady', OTHERS],
    ] as const)
      for (const id of ids)
        await runtime.clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: queue.url,
            MessageBody: JSON.stringify({ id, 'detail-type': type, detail: { eventId: id } }),
            MessageAttributes: {
              RULE_ARN: { DataType: 'String', StringValue: 'arn:aws:events:us-east-1:000000000000:rule/x' },
              ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' },
            },
          }),
        );
    const request: RedriveRequest = {
      sqsEndpoint: runtime.endpoints.sqs,
      region: runtime.region,
      queue,
      type: 'FileRejected',
      perSecond: 2,
      holdSeconds: 5,
    };

    // Act: kill the redrive after three moves, wait until what it held is visible again, redrive again.
    child = spawnTs('test/process/support/redrive-selected.ts', [JSON.stringify(request)], {
      wrapper: false,
    });
    const running = child;
    await waitFor(
      'three messages moved by the child',
      () => running.stdout().split(MOVED_MARKER).length - 1 >= 3,
      60_000,
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}\nchild stdout:\n${running.stdout()}\nchild stderr:\n${running.stderr()}`,
      );
    });
    running.child.kill('SIGKILL');
    await running.exited;
    // Nothing the killed redrive held is hidden any more. (The emulator expires holds when a queue is read: peek the
    // DLQ, which has no redrive policy, so reading it moves nothing; the service queue's would.)
    await waitFor(
      'the killed redrive’s held messages visible again',
      async () => {
        await peekMessages(runtime.clients.sqs, queue.url, 100);
        const { Attributes = {} } = await runtime.clients.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.url,
            AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return Number(Attributes.ApproximateNumberOfMessagesNotVisible) === 0;
      },
      60_000,
    );
    const rerun = await printedJson(() =>
      redriveDlqs(
        { sqs: runtime.clients.sqs, queues: [queue], notCovered: [] },
        { json: true, selection: { type: 'FileRejected' }, progress: () => {} },
      ),
    );

    // Assess
    const delivered = await drainVisible(runtime.clients.sqs, reconcile.queue.url);
    const deliveredIds = delivered.map((message) => (JSON.parse(message.Body ?? '{}') as { id: string }).id);
    const left = await peekMessages(runtime.clients.sqs, queue.url, 100);
    expect(rerun).toMatchObject({
      code: DLQ_EXIT.ok,
      output: { results: [{ status: 'COMPLETED', left: 4 }] },
    });
    expect([...new Set(deliveredIds)].sort()).toEqual([...SELECTED].sort());
    expect(deliveredIds.length - SELECTED.length).toBeLessThanOrEqual(1);
    expect(delivered.every((message) => message.MessageAttributes?.RULE_ARN === undefined)).toBe(true);
    expect(left.map(idOf).sort()).toEqual([...OTHERS].sort());
  }, 180_000);
});
