import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLogEvents } from '../../lib/event-log/read-event-log.ts';
import { startRuntime } from '../../runtime/index.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { drainVisible, recordingLogger } from '../../runtime/testing/helpers.ts';
import { stageDlqTarget } from '../stage-targets.ts';
import { printedJson as printed } from '../test-support/printed-json.ts';
import {
  DLQ_EXIT,
  errorFingerprint,
  listDlqs,
  redriveDlqs,
  showDlqs,
  WORKER_DLQ_NOT_REDRIVEN,
} from './dlq.ts';

/** `dlq list` and `dlq redrive` on the offline runtime, through the SQS message-move API its front speaks. */
describe('dlq commands on the offline runtime', () => {
  let runtime: Runtime;
  const options = { json: true, progress: () => {}, pollMs: 20 };

  beforeAll(async () => {
    // No consumers: redriven messages stay in the service queue where the test reads them.
    runtime = await startRuntime({
      stage: 'dlqcli',
      handlers: {},
      s3Notifications: false,
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('lists every DLQ and exits 3 while one holds a message, then redrives it back and exits 0', async () => {
    // Prepare: two messages parked in dedup's queue DLQ.
    const dedup = runtime.resources.services.dedup;
    for (const marker of ['a', 'b'])
      await runtime.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: dedup?.dlq.url, MessageBody: marker }),
      );
    const target = await stageDlqTarget(runtime.stageDocument, runtime.clients.operatorSqs);

    // Act
    const before = await printed(() => listDlqs(target, options));
    const redrive = await printed(() => redriveDlqs(target, { ...options, service: 'dedup' }));
    const after = await printed(() => listDlqs(target, options));

    // Assess
    expect(before.code).toBe(DLQ_EXIT.attention);
    expect(before.output).toMatchObject({ waiting: 2 });
    expect((before.output.queues as { kind: string }[]).map((queue) => queue.kind)).toContain('rule');
    expect(redrive).toMatchObject({
      code: 0,
      output: { results: [{ service: 'dedup', kind: 'queue', moved: 2, status: 'COMPLETED' }] },
    });
    expect(after).toMatchObject({ code: DLQ_EXIT.ok, output: { waiting: 0 } });
    const back = await drainVisible(runtime.clients.sqs, dedup?.queue.url as string);
    expect(back.map((message) => message.Body).sort()).toEqual(['a', 'b']);
  });

  it('shows a rule DLQ grouped by error fingerprint and by event type, without consuming it', async () => {
    // Prepare: two FileLanded events the bus could not deliver, failing with the same error about other ids.
    const reconcile = runtime.resources.services.reconcile;
    for (const id of ['4b1c2d3e-0000-4000-8000-000000000001', '4b1c2d3e-0000-4000-8000-000000000002'])
      await runtime.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: reconcile?.busDlq.url,
          MessageBody: JSON.stringify({ 'detail-type': 'FileRejected', detail: { eventId: id } }),
          MessageAttributes: {
            ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' },
            ERROR_MESSAGE: {
              DataType: 'String',
              StringValue: `queue of event ${id} unreachable after 3 attempts`,
            },
          },
        }),
      );
    const target = await stageDlqTarget(runtime.stageDocument, runtime.clients.operatorSqs);
    const scope = { ...options, service: 'reconcile', kind: 'rule' as const };

    // Act
    const byError = await printed(() => showDlqs(target, { ...scope, groupBy: 'error' }));
    const byType = await printed(() => showDlqs(target, { ...scope, groupBy: 'type' }));
    const stillThere = await printed(() => listDlqs(target, scope));

    // Assess
    expect(byError.output).toEqual({
      queues: [
        expect.objectContaining({
          groups: [
            { error: 'SDK_CLIENT_ERROR: queue of event <id> unreachable after <n> attempts', messages: 2 },
          ],
        }),
      ],
    });
    expect(byType.output).toEqual({
      queues: [expect.objectContaining({ groups: [{ type: 'FileRejected', messages: 2 }] })],
    });
    expect(stillThere).toMatchObject({ code: DLQ_EXIT.attention, output: { waiting: 2 } });
  });
});

describe('dlq redrive with a selection', () => {
  let runtime: Runtime;
  const options = { json: true, progress: () => {} };

  beforeAll(async () => {
    runtime = await startRuntime({
      stage: 'dlqselect',
      handlers: {},
      s3Notifications: false,
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('dry-runs, then moves only the messages of the error asked for, at most --max of them', async () => {
    // Prepare: settlement-match's rule DLQ holds three timeouts and two access errors.
    const match = runtime.resources.services['settlement-match'] ?? expect.fail('no settlement-match');
    const park = (id: string, code: string) =>
      runtime.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: match.busDlq.url,
          MessageBody: JSON.stringify({ id, 'detail-type': 'RecordsDeduplicated', detail: {} }),
          MessageAttributes: { ERROR_CODE: { DataType: 'String', StringValue: code } },
        }),
      );
    for (const id of ['t1', 't2', 't3']) await park(id, 'SDK_CLIENT_ERROR');
    for (const id of ['a1', 'a2']) await park(id, 'NO_PERMISSIONS');
    const target = await stageDlqTarget(runtime.stageDocument, runtime.clients.operatorSqs);
    const scope = { ...options, service: 'settlement-match', kind: 'rule' as const };

    // Act
    const dryRun = await printed(() =>
      redriveDlqs(target, { ...scope, selection: { error: 'NO_PERMISSIONS' }, dryRun: true }),
    );
    const moved = await printed(() =>
      redriveDlqs(target, { ...scope, selection: { error: 'SDK_CLIENT', max: 2 } }),
    );

    // Assess
    expect(dryRun.output).toMatchObject({
      dryRun: true,
      results: [
        {
          moved: 2,
          left: 3,
          selected: [{ type: 'RecordsDeduplicated', error: 'NO_PERMISSIONS', messages: 2 }],
        },
      ],
    });
    expect(moved.output).toMatchObject({ results: [{ moved: 2, left: 3, status: 'COMPLETED' }] });
    const idsIn = async (url: string) =>
      (await drainVisible(runtime.clients.sqs, url))
        .map((message) => (JSON.parse(message.Body ?? '') as { id: string }).id)
        .sort();
    const delivered = await idsIn(match.queue.url);
    const left = await idsIn(match.busDlq.url);
    expect(delivered).toHaveLength(2);
    expect(delivered.every((id) => id.startsWith('t'))).toBe(true);
    expect(left).toEqual(['a1', 'a2', ...['t1', 't2', 't3'].filter((id) => !delivered.includes(id))].sort());
  });
});

describe('dlq redrive of a worker DLQ', () => {
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await startRuntime({
      stage: 'dlqworker',
      handlers: {},
      s3Notifications: false,
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('refuses, says why and what to do, and leaves the failure record where it is', async () => {
    // Prepare: a queue standing in for the outbox relay's failure queue (offline none is provisioned).
    const stand_in = runtime.resources.services.reconcile?.dlq ?? expect.fail('no reconcile DLQ');
    await runtime.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stand_in.url, MessageBody: '{"requestContext":{}}' }),
    );
    const target = {
      sqs: runtime.clients.operatorSqs,
      queues: [{ service: 'outbox-relay', kind: 'worker' as const, ...stand_in }],
      notCovered: [],
    };

    // Act
    const redrive = await printed(() => redriveDlqs(target, { json: true, progress: () => {} }));
    const after = await printed(() => listDlqs(target, { json: true, progress: () => {} }));

    // Assess
    expect(redrive).toMatchObject({
      code: DLQ_EXIT.failed,
      output: {
        results: [{ service: 'outbox-relay', status: 'NOT_REDRIVEN', reason: WORKER_DLQ_NOT_REDRIVEN }],
      },
    });
    expect(after).toMatchObject({ code: DLQ_EXIT.attention, output: { waiting: 1 } });
  });
});

describe('dlq redrive of an event-log DLQ', () => {
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await startRuntime({
      stage: 'dlqeventlog',
      handlers: {},
      s3Notifications: false,
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('writes each parked event back to its event-log partition, then deletes it; a non-event stays', async () => {
    // Prepare: a queue standing in for the event-log stream's DLQ (offline the bus writes the log itself), holding
    // what EventBridge parks there: the event as the rule target got it, with the failure's attributes.
    const stand_in = runtime.resources.services.dedup?.busDlq ?? expect.fail('no dedup rule DLQ');
    const bucket = runtime.resources.buckets['event-log']?.name ?? expect.fail('no event-log bucket');
    const event = {
      version: '0',
      id: 'evt-parked-1',
      'detail-type': 'FileValidated',
      source: 'finledger.schema-validate',
      account: '000000000000',
      time: '2026-11-03T23:59:59Z',
      region: 'us-east-1',
      resources: [],
      detail: { fileId: 'f_parked' },
    };
    const failure = {
      ERROR_CODE: { DataType: 'String', StringValue: 'SDK_CLIENT_ERROR' },
      RULE_ARN: {
        DataType: 'String',
        StringValue: 'arn:aws:events:us-east-1:000000000000:rule/b/EventLogRule',
      },
    };
    await runtime.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stand_in.url,
        MessageBody: JSON.stringify(event),
        MessageAttributes: failure,
      }),
    );
    const target = {
      sqs: runtime.clients.operatorSqs,
      queues: [{ service: 'event-log', kind: 'event-log' as const, ...stand_in }],
      notCovered: [],
      eventLog: { s3: runtime.clients.s3, bucket },
    };

    // Act
    const redrive = await printed(() => redriveDlqs(target, { json: true, progress: () => {} }));
    const logged = await eventLogEvents(runtime.clients.s3, bucket, {
      from: new Date('2026-11-03T00:00:00Z'),
      to: new Date('2026-11-04T00:00:00Z'),
      types: ['FileValidated'],
    });
    await runtime.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stand_in.url, MessageBody: 'not an event' }),
    );
    const refused = await printed(() => redriveDlqs(target, { json: true, progress: () => {} }));
    const after = await printed(() => listDlqs(target, { json: true, progress: () => {} }));

    // Assess: the event in its own partition, the DLQ empty of it; the non-event refused and still parked.
    expect(redrive).toMatchObject({
      code: DLQ_EXIT.ok,
      output: { results: [{ service: 'event-log', kind: 'event-log', moved: 1, status: 'COMPLETED' }] },
    });
    expect(logged).toEqual([event]);
    expect(refused).toMatchObject({
      code: DLQ_EXIT.failed,
      output: { results: [{ status: 'FAILED', reason: expect.stringMatching(/not JSON/) }] },
    });
    expect(after).toMatchObject({ code: DLQ_EXIT.attention, output: { waiting: 1 } });
  });
});

describe('errorFingerprint', () => {
  it('names a queue DLQ message as carrying no error', () => {
    expect(errorFingerprint({})).toMatch(/no error recorded/);
  });
});
