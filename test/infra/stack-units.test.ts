import { beforeAll, describe, expect, it } from 'vitest';
import { parseStageDocument } from '../../lib/stage-resources/stage-document.ts';
import { QUEUE_CONSUMER_ACTIONS } from '../../stacks/plan/iam.ts';
import { names } from '../../stacks/plan/names.ts';
import { buildPlan, type Plan } from '../../stacks/plan/plan.ts';
import { stageConfig } from '../../stacks/stage-config.ts';
import { type ArnIndex, indexArns } from './harness/arns.ts';
import { ofType, runStack, type StackRun } from './harness/sst-mocks.ts';
import { inlineStatements, json, one } from './harness/stages.ts';
import { UNIT_PROBE, UNIT_PROBE_SENDER, withUnitWorker } from './harness/unit-topology.ts';

/**
 * The stacks under Pulumi's mocks for a development stage of a topology with one unit worker: what its queue, event
 * source, permissions, alarms and stage-document entry become.
 */
describe('a units worker on a development stage', () => {
  const topology = withUnitWorker();
  const queue = names.queue(UNIT_PROBE);
  const dlq = names.dlq(UNIT_PROBE);
  let run: StackRun;
  let arns: ArnIndex;
  let plan: Plan;

  beforeAll(async () => {
    run = await runStack('dev', {}, { topology });
    arns = indexArns(run);
    plan = buildPlan(topology, stageConfig('dev', {}));
  });

  it('declares its queue and DLQ encrypted with the messaging key, the queue redriving after 5 receives', () => {
    const sqs = one(run, 'aws:sqs/queue:Queue', `${queue}Queue`);
    const dead = one(run, 'aws:sqs/queue:Queue', `${dlq}Queue`);
    const key = arns.arn(names.messagingKey(), 'key');

    expect(sqs.inputs).toMatchObject({
      kmsMasterKeyId: key,
      visibilityTimeoutSeconds: 1800,
      messageRetentionSeconds: 4 * 24 * 3600,
    });
    expect(json(sqs.inputs.redrivePolicy)).toEqual({
      deadLetterTargetArn: arns.arn(dlq, 'queue'),
      maxReceiveCount: 5,
    });
    expect(dead.inputs).toMatchObject({ kmsMasterKeyId: key, messageRetentionSeconds: 14 * 24 * 3600 });
    for (const name of [queue, dlq])
      expect(one(run, 'aws:sqs/queuePolicy:QueuePolicy', `${name}Policy`)).toBeDefined();
  });

  it('feeds the worker from its queue with partial batch responses and its batch size', () => {
    const mapping = one(
      run,
      'aws:lambda/eventSourceMapping:EventSourceMapping',
      `${names.function(UNIT_PROBE)}Source`,
    );

    expect(mapping.inputs).toMatchObject({
      eventSourceArn: arns.arn(queue, 'queue'),
      functionName: arns.physicalName(names.function(UNIT_PROBE), 'function'),
      batchSize: 2,
      maximumBatchingWindowInSeconds: 0,
      functionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets the worker consume and re-send, the sender send, through the messaging key via SQS, and no one else', () => {
    const queueArn = arns.arn(queue, 'queue');
    const key = arns.arn(names.messagingKey(), 'key');
    const on = (name: string) => inlineStatements(run, names.function(name));
    const actionsOn = (name: string, arn: string) =>
      on(name)
        .filter((statement) => statement.resources.includes(arn))
        .flatMap((statement) => statement.actions)
        .sort();

    expect(actionsOn(UNIT_PROBE, queueArn)).toEqual([...QUEUE_CONSUMER_ACTIONS, 'sqs:SendMessage'].sort());
    expect(actionsOn(UNIT_PROBE_SENDER, queueArn)).toEqual(['sqs:SendMessage']);
    for (const name of [UNIT_PROBE, UNIT_PROBE_SENDER]) {
      expect(on(name)).toContainEqual(
        expect.objectContaining({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key],
          conditions: [{ test: 'StringLike', variable: 'kms:ViaService', values: ['sqs.*.amazonaws.com'] }],
        }),
      );
    }
    for (const spec of plan.functions.filter((fn) => ![UNIT_PROBE, UNIT_PROBE_SENDER].includes(fn.unit))) {
      const resources = inlineStatements(run, spec.name).flatMap((statement) => statement.resources);
      expect(resources).not.toContain(queueArn);
      expect(resources).not.toContain(arns.arn(dlq, 'queue'));
    }
  });

  it('links the queue, name, URL and ARN, to the sender and to the worker (`resources.unitQueueUrl`)', () => {
    for (const name of [UNIT_PROBE, UNIT_PROBE_SENDER]) {
      const build = run.builds.find((request) => request.functionID === names.function(name));
      expect(build?.links[queue]).toMatchObject({
        url: expect.stringMatching(/^https:\/\/sqs\./),
        name: arns.physicalName(queue, 'queue'),
        arn: arns.arn(queue, 'queue'),
      });
    }
    const others = run.builds.filter(
      (request) =>
        ![UNIT_PROBE, UNIT_PROBE_SENDER].map((name) => names.function(name)).includes(request.functionID),
    );
    for (const build of others) expect(Object.keys(build.links)).not.toContain(queue);
  });

  it('alarms on its DLQ holding a unit and on its oldest unit, to the on-call topic', () => {
    const alarms = ofType(run, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    const inputsOf = (name: string) => alarms.find((alarm) => alarm.name === name)?.inputs;

    expect(inputsOf(`${dlq}NotEmptyAlarm`)).toMatchObject({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: arns.physicalName(dlq, 'queue') },
      threshold: 0,
    });
    expect(inputsOf(`${queue}AgeAlarm`)).toMatchObject({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: arns.physicalName(queue, 'queue') },
    });
    expect(alarms.map((alarm) => alarm.name).sort()).toEqual(plan.alarms.map((alarm) => alarm.name).sort());
  });

  it('lists the unit queue and its DLQ in the stage document, apart from the failure queues', () => {
    const parameter = one(run, 'aws:ssm/parameter:Parameter', names.stageDocument());
    const document = parseStageDocument(String(parameter.inputs.value), 'the parameter');

    expect(document.unitQueues[UNIT_PROBE]).toEqual({
      queue: arns.physicalName(queue, 'queue'),
      dlq: arns.physicalName(dlq, 'queue'),
    });
    expect(Object.keys(document.workerDlqs)).not.toContain(UNIT_PROBE);
    expect(Object.keys(document.services)).not.toContain(UNIT_PROBE);
  });
});

describe('a stage document written before unit workers', () => {
  it('still parses, with no unit queues', () => {
    const older = {
      app: 'finledger',
      stage: 'dev',
      region: 'eu-west-1',
      account: '123456789012',
      bus: 'bus',
      archives: { bus: 'archive' },
      services: {},
      workerDlqs: {},
      rules: {},
      tables: {},
      buckets: {},
      functions: {},
    };

    expect(parseStageDocument(JSON.stringify(older), 'an older parameter').unitQueues).toEqual({});
  });
});
