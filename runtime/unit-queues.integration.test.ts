import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DLQ_EXIT, listDlqs, redriveDlqs } from '../cli/commands/dlq.ts';
import { stageDlqTarget } from '../cli/stage-targets.ts';
import { printedJson } from '../cli/test-support/printed-json.ts';
import { clientConfig } from '../lib/aws/client-config.ts';
import { resources } from '../lib/resources.ts';
import { topology as finledgerTopology } from '../topology/topology.ts';
import type { Topology, WorkerSpec } from '../topology/types.ts';
import { type Runtime, startRuntime } from './runtime.ts';
import { recordingLogger, sharedDynamoDb, waitFor } from './testing/helpers.ts';

const DISPATCHER = 'dispatcher';
const RECORDER = 'unit-recorder';
const FAILER = 'unit-failer';
const UNITS = 25;

const unitWorker = (name: string): WorkerSpec => ({
  name,
  handler: 'runtime/unit-queues.integration.test.ts',
  trigger: { kind: 'units', from: DISPATCHER },
  function: { memoryMb: 256, timeoutSeconds: 10, batchSize: 3 },
  tables: [],
  buckets: {},
});

/** One service that fans work out to two unit workers; the event-log bucket is the local bus's. */
const topology: Topology = {
  ...finledgerTopology,
  secrets: [],
  tables: [],
  buckets: finledgerTopology.buckets.filter((bucket) => bucket.name === 'event-log'),
  services: [
    {
      name: DISPATCHER,
      handler: 'runtime/unit-queues.integration.test.ts',
      subscriptions: [],
      queue: {
        visibilityTimeoutSeconds: 60,
        maxReceiveCount: 5,
        retentionSeconds: 3600,
        dlqRetentionSeconds: 7200,
      },
      function: { memoryMb: 256, timeoutSeconds: 10, batchSize: 1 },
      tables: [],
      buckets: {},
      publishes: [],
    },
  ],
  workers: [unitWorker(RECORDER), unitWorker(FAILER)],
};

/** A work request to the dispatcher: how many units, for which worker. */
interface Request {
  readonly worker: string;
  readonly units: number;
}

/** A unit; the first may ask its worker to enqueue one follow-up unit on its own queue. */
interface Unit {
  readonly id: string;
  readonly followUp?: boolean;
}

describe('unit workers offline', () => {
  let runtime: Runtime;
  /** How many times each unit id was processed. */
  const processed = new Map<string, number>();
  const unitEventSources = new Set<string>();
  let failerAttempts = 0;

  /** Send units in batches of 10 to a unit worker's queue, found as a deployed handler finds it. */
  async function sendUnits(worker: string, units: readonly Unit[], delaySeconds = 0): Promise<void> {
    const sqs = new SQSClient(clientConfig('sqs'));
    try {
      for (let start = 0; start < units.length; start += 10) {
        const output = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: resources.unitQueueUrl(worker),
            Entries: units.slice(start, start + 10).map((unit, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(unit),
              DelaySeconds: delaySeconds,
            })),
          }),
        );
        if (output.Failed?.length) throw new Error(`units refused: ${JSON.stringify(output.Failed)}`);
      }
    } finally {
      sqs.destroy();
    }
  }

  async function dispatcher(event: SQSEvent): Promise<void> {
    for (const record of event.Records) {
      const request = JSON.parse(record.body) as Request;
      await sendUnits(
        request.worker,
        Array.from({ length: request.units }, (_, index) => ({ id: `unit-${index}`, followUp: index === 0 })),
        // Delayed: for a second no unit is in flight anywhere, only waiting in the unit queue.
        1,
      );
    }
  }

  async function recorder(event: SQSEvent): Promise<SQSBatchResponse> {
    for (const record of event.Records) {
      unitEventSources.add(record.eventSourceARN);
      const unit = JSON.parse(record.body) as Unit;
      processed.set(unit.id, (processed.get(unit.id) ?? 0) + 1);
      if (unit.followUp) await sendUnits(RECORDER, [{ id: `${unit.id}-follow-up` }]);
    }
    return { batchItemFailures: [] };
  }

  async function failer(event: SQSEvent): Promise<SQSBatchResponse> {
    failerAttempts += event.Records.length;
    return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
  }

  async function request(body: Request): Promise<void> {
    const url = runtime.resources.services[DISPATCHER]?.queue.url ?? expect.fail('no dispatcher queue');
    await runtime.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(body) }),
    );
  }

  beforeAll(async () => {
    runtime = await startRuntime({
      stage: 'units',
      topology,
      handlers: { [DISPATCHER]: dispatcher, [RECORDER]: recorder, [FAILER]: failer },
      retryDelaySeconds: 0,
      s3Notifications: false,
      sharedDynamoDb: sharedDynamoDb(),
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('processes every unit a service sends, and the follow-up a unit sends, exactly once before it is idle', async () => {
    // Act
    await request({ worker: RECORDER, units: UNITS });
    await runtime.waitForIdle();

    // Assess: nothing was waited for but idleness, so every unit (delayed by its sender) was done by then.
    expect(processed.size).toBe(UNITS + 1);
    expect([...processed.values()].every((count) => count === 1)).toBe(true);
    expect(processed.get('unit-0-follow-up')).toBe(1);
    expect([...unitEventSources]).toEqual([runtime.resources.units[RECORDER]?.queue.arn]);
    expect(runtime.pollers[RECORDER]?.stats()).toMatchObject({ succeeded: UNITS + 1, failed: 0 });
  });

  it('parks a unit that always fails in the unit DLQ after the max receive count, where dlq list shows it', async () => {
    // Prepare
    const dlq = runtime.resources.units[FAILER]?.dlq ?? expect.fail('no unit DLQ');
    const target = await stageDlqTarget(runtime.stageDocument, runtime.clients.operatorSqs);
    const options = { json: true, progress: () => {}, pollMs: 20 };
    const waiting = async () =>
      (await printedJson(() => listDlqs(target, { ...options, service: FAILER }))).output;

    // Act
    await request({ worker: FAILER, units: 1 });
    await waitFor('the failing unit to reach its DLQ', async () => (await waiting()).waiting === 1);

    // Assess
    expect(failerAttempts).toBe(5);
    expect(await waiting()).toMatchObject({
      waiting: 1,
      queues: [{ service: FAILER, kind: 'queue', name: dlq.name, messages: 1 }],
    });
    await runtime.waitForIdle();
  });

  it('redrives the unit DLQ back to the unit queue, where the unit is retried', async () => {
    // Prepare
    const target = await stageDlqTarget(runtime.stageDocument, runtime.clients.operatorSqs);
    const options = { json: true, progress: () => {}, pollMs: 20 };
    const before = failerAttempts;

    // Act
    const redrive = await printedJson(() => redriveDlqs(target, { ...options, service: FAILER }));
    await waitFor('the redriven unit to fail its receives again', () => failerAttempts === before + 5);
    await waitFor('the unit to be parked again', async () => {
      const listed = await printedJson(() => listDlqs(target, { ...options, service: FAILER }));
      return listed.code === DLQ_EXIT.attention && listed.output.waiting === 1;
    });

    // Assess
    expect(redrive).toMatchObject({
      code: DLQ_EXIT.ok,
      output: { results: [{ service: FAILER, kind: 'queue', moved: 1, status: 'COMPLETED' }] },
    });
  });
});
