import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { stageReplayTarget } from '../../cli/stage-targets.ts';
import { eventCatalog } from '../../contracts/events/catalog.ts';
import { parseStageDocument, stageDocumentParameter } from '../../lib/stage-resources/stage-document.ts';
import { names } from '../../stacks/plan/names.ts';
import { hasFailureQueue, unitWorkers } from '../../stacks/plan/queues.ts';
import { stageConfig } from '../../stacks/stage-config.ts';
import { subscriptionPattern } from '../../topology/event-patterns.ts';
import { topology } from '../../topology/topology.ts';
import type { BucketName } from '../../topology/types.ts';
import { ACCOUNT, ofType, REGION, TEST_PRODUCTION_ENV } from './harness/sst-mocks.ts';
import { json, one, STAGES, subscriptions, units, useStages } from './harness/stages.ts';

/**
 * The real sst.config.ts and stacks/ under Pulumi's mocks (a development stage and production):
 * the resource set against the topology, the bus, the queues and the alarms.
 */
const stage_ = useStages();

describe.each(STAGES)('%s stage', (stage) => {
  const s = () => stage_(stage);
  describe('resource set', () => {
    it.each([
      ['sst:aws:Dynamo', () => topology.tables.map((table) => names.table(table.name))],
      ['sst:aws:Bucket', () => topology.buckets.map((bucket) => names.bucket(bucket.name))],
      [
        'sst:aws:Queue',
        () => [
          ...topology.services.flatMap((svc) => [
            names.queue(svc.name),
            names.dlq(svc.name),
            names.deliveryDlq(svc.name),
          ]),
          ...topology.workers.filter(hasFailureQueue).map((worker) => names.dlq(worker.name)),
          ...unitWorkers(topology).flatMap(({ worker }) => [
            names.queue(worker.name),
            names.dlq(worker.name),
          ]),
          names.eventLogDlq('main'),
          names.eventLogDlq('restricted'),
        ],
      ],
      ['sst:aws:Function', () => units.map((unit) => names.function(unit.name))],
      ['sst:aws:Bus', () => [names.bus()]],
      [
        'aws:cloudwatch/eventRule:EventRule',
        () => [
          ...subscriptions.map(({ service, sub }) => names.rule(service.name, sub)),
          // The bus event log's two rules (test/infra/stack-event-log.test.ts).
          names.eventLogRule('main'),
          names.eventLogRule('restricted'),
        ],
      ],
      [
        'aws:schemas/schema:Schema',
        () => eventCatalog.map((event) => names.schema(event.type, event.version)),
      ],
      [
        'aws:kms/key:Key',
        () => [
          ...topology.tables.map((table) => names.tableKey(table.name)),
          ...topology.buckets.map((bucket) => names.bucketKey(bucket.name)),
          names.messagingKey(),
        ],
      ],
    ])('declares %s exactly once per topology entry', (type, expected) => {
      const declared = ofType(s().run, type).map((resource) => resource.name);

      expect(declared.sort()).toEqual(expected().sort());
    });

    it('declares every alarm of the plan and nothing a bucket does not need', () => {
      expect(
        ofType(s().run, 'aws:cloudwatch/metricAlarm:MetricAlarm')
          .map((alarm) => alarm.name)
          .sort(),
      ).toEqual(
        s()
          .plan.alarms.map((alarm) => alarm.name)
          .sort(),
      );
      expect(ofType(s().run, 'aws:s3/bucketCorsConfiguration:BucketCorsConfiguration')).toEqual([]);
    });
  });

  describe('bus', () => {
    it('archives every event on the bus, indefinitely in production', () => {
      const archive = one(s().run, 'aws:cloudwatch/eventArchive:EventArchive', names.archive());

      expect(archive.inputs.eventSourceArn).toBe(s().arns.arn(names.bus(), 'bus'));
      expect(archive.inputs.retentionDays).toBe(
        stage === 'production' ? 0 : stageConfig(stage, {}).archiveRetentionDays,
      );
    });

    it('archives the landing notifications S3 sends to the default bus, exactly what the rules consume, expiring like card data', () => {
      const archive = one(s().run, 'aws:cloudwatch/eventArchive:EventArchive', names.notificationArchive());
      const fromDefault = ofType(s().run, 'aws:cloudwatch/eventRule:EventRule').filter(
        (rule) => rule.inputs.eventBusName === 'default' && rule.name !== names.eventLogRule('restricted'),
      );

      expect(fromDefault).toHaveLength(1);
      expect(String(archive.inputs.eventSourceArn)).toMatch(
        /^arn:aws:events:[^:]+:\d{12}:event-bus\/default$/,
      );
      expect(json(archive.inputs.eventPattern)).toEqual(json(fromDefault[0]?.inputs.eventPattern));
      expect(archive.inputs.retentionDays).toBe(
        stageConfig(stage, stage === 'production' ? TEST_PRODUCTION_ENV : {}).restrictedRetentionDays,
      );
    });

    it.each(
      subscriptions.map(({ service, sub }) => [names.rule(service.name, sub), service.name, sub] as const),
    )('routes %s to the %s queue with a DLQ and retry policy', (ruleName, service, sub) => {
      const rule = one(s().run, 'aws:cloudwatch/eventRule:EventRule', ruleName);
      const target = one(s().run, 'aws:cloudwatch/eventTarget:EventTarget', `${ruleName}Target`);
      const landing = (bucket: BucketName) => s().arns.physicalName(names.bucket(bucket), 'bucket');
      const match =
        sub.kind === 'event'
          ? ({ kind: 'event', type: sub.type, version: sub.version } as const)
          : ({
              kind: 'aws',
              source: sub.source,
              detailType: sub.detailType,
              bucket: sub.bucket as BucketName,
            } as const);

      expect(json(rule.inputs.eventPattern)).toEqual(subscriptionPattern(match, landing));
      expect(rule.inputs.eventBusName).toBe(
        sub.kind === 'event' ? s().arns.physicalName(names.bus(), 'bus') : 'default',
      );
      expect(target.inputs).toMatchObject({
        arn: s().arns.arn(names.queue(service), 'queue'),
        deadLetterConfig: { arn: s().arns.arn(names.deliveryDlq(service), 'queue') },
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 },
      });
    });
  });

  describe('queues', () => {
    it('encrypts every queue with the messaging key and gives it a TLS-only policy', () => {
      const key = s().arns.arn(names.messagingKey(), 'key');
      for (const queue of ofType(s().run, 'sst:aws:Queue')) {
        const sqs = one(s().run, 'aws:sqs/queue:Queue', `${queue.name}Queue`);
        const policy = json<{ Statement: { Sid: string; Effect: string; Condition: unknown }[] }>(
          one(s().run, 'aws:sqs/queuePolicy:QueuePolicy', `${queue.name}Policy`).inputs.policy,
        );

        expect(sqs.inputs.kmsMasterKeyId).toBe(key);
        expect(policy.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });

    it.each(topology.services.map((svc) => [svc.name, svc] as const))(
      'redrives %s to its DLQ and lets only its rules send to it',
      (name, service) => {
        const queue = one(s().run, 'aws:sqs/queue:Queue', `${names.queue(name)}Queue`);
        const dlq = one(s().run, 'aws:sqs/queue:Queue', `${names.dlq(name)}Queue`);
        const policy = json<{
          Statement: { Sid: string; Condition?: { ArnEquals?: Record<string, string[]> } }[];
        }>(one(s().run, 'aws:sqs/queuePolicy:QueuePolicy', `${names.queue(name)}Policy`).inputs.policy);
        const senders = policy.Statement.find((statement) => statement.Sid === 'EventBridgeRulesSend');

        expect(json(queue.inputs.redrivePolicy)).toEqual({
          deadLetterTargetArn: s().arns.arn(names.dlq(name), 'queue'),
          maxReceiveCount: service.queue.maxReceiveCount,
        });
        expect(queue.inputs).toMatchObject({
          visibilityTimeoutSeconds: service.queue.visibilityTimeoutSeconds,
          messageRetentionSeconds: service.queue.retentionSeconds,
        });
        expect(dlq.inputs.messageRetentionSeconds).toBe(service.queue.dlqRetentionSeconds);
        expect(senders?.Condition?.ArnEquals?.['aws:SourceArn']).toEqual(
          service.subscriptions.map((sub) => s().arns.arn(names.rule(name, sub), 'rule')),
        );
      },
    );
  });

  describe('alarms', () => {
    it('pages the encrypted on-call topic from every alarm, including each DLQ holding a message', () => {
      const topic = one(s().run, 'aws:sns/topic:Topic', names.alarmTopic());
      const alarms = ofType(s().run, 'aws:cloudwatch/metricAlarm:MetricAlarm');
      const consumed = [...topology.services, ...unitWorkers(topology).map(({ worker }) => worker)].map(
        (unit) => names.queue(unit.name),
      );
      const dlqs = ofType(s().run, 'sst:aws:Queue').filter((queue) => !consumed.includes(queue.name));

      expect(topic.inputs.kmsMasterKeyId).toBe(s().arns.arn(names.messagingKey(), 'key'));
      for (const alarm of alarms) expect((alarm.inputs.alarmActions as unknown[]).length).toBe(1);
      for (const dlq of dlqs) {
        expect(alarms.map((alarm) => alarm.inputs)).toContainEqual(
          expect.objectContaining({
            namespace: 'AWS/SQS',
            metricName: 'ApproximateNumberOfMessagesVisible',
            dimensions: { QueueName: s().arns.physicalName(dlq.name, 'queue') },
            comparisonOperator: 'GreaterThanThreshold',
            threshold: 0,
          }),
        );
      }
      expect(ofType(s().run, 'aws:sns/topicSubscription:TopicSubscription')).toHaveLength(
        stage === 'production' ? 1 : 0,
      );
    });
  });
});

/**
 * The stage document the stack writes to SSM is what the CLI's `--stage` reads: every service's queues, every
 * subscription's rule with its bus, the archives, tables and buckets, small enough for a standard parameter.
 */

describe.each(STAGES)('%s stage document', (stage) => {
  const parameter = () => one(stage_(stage).run, 'aws:ssm/parameter:Parameter', names.stageDocument());

  it('is an Intelligent-Tiering String parameter under /finledger/<stage>/resources, within the advanced 8 KB limit', () => {
    expect(parameter().inputs).toMatchObject({
      name: stageDocumentParameter(topology.app, stage),
      type: 'String',
      tier: 'Intelligent-Tiering',
    });
    expect(Buffer.byteLength(String(parameter().inputs.value))).toBeLessThan(8192);
  });

  it('names every service’s queues, every rule on its bus, the archives, tables and buckets', () => {
    const document = parseStageDocument(String(parameter().inputs.value), 'the parameter');
    expect(document).toMatchObject({ app: topology.app, stage, region: REGION, account: ACCOUNT });
    expect(Object.keys(document.services).sort()).toEqual(topology.services.map((s) => s.name).sort());
    expect(Object.keys(document.rules).sort()).toEqual(
      stage_(stage)
        .plan.rules.map((rule) => rule.name)
        .sort(),
    );
    expect(Object.keys(document.tables).sort()).toEqual(topology.tables.map((t) => t.name).sort());
    expect(Object.keys(document.buckets).sort()).toEqual(topology.buckets.map((b) => b.name).sort());
    expect(document.archives.notifications).toEqual(expect.any(String));
    expect(document.functions.rerun).toEqual({
      name: expect.any(String),
      url: expect.stringMatching(/^https:\/\//),
    });
    expect(
      ofType(stage_(stage).run, 'aws:lambda/functionUrl:FunctionUrl').map(
        (url) => url.inputs.authorizationType,
      ),
    ).toEqual(['AWS_IAM']);
    expect(Object.keys(document.workerDlqs).sort()).toEqual(
      topology.workers
        .filter(hasFailureQueue)
        .map((worker) => worker.name)
        .sort(),
    );
    expect(Object.keys(document.unitQueues).sort()).toEqual(
      unitWorkers(topology)
        .map(({ worker }) => worker.name)
        .sort(),
    );
    // The event-log streams' DLQs, so `dlq list --stage` shows them and `dlq redrive event-log` writes them back.
    expect(document.eventLogDlqs).toEqual(
      Object.fromEntries(
        stage_(stage).plan.eventLog.streams.map((stream) => [stream.zone, expect.any(String)]),
      ),
    );
    expect(Object.keys(document.eventLogDlqs)).toEqual(['main', 'restricted']);
  });

  it('gives the CLI a replay target that replays S3 notifications from the notification archive on the default bus', () => {
    const document = parseStageDocument(String(parameter().inputs.value), 'the parameter');
    const target = stageReplayTarget(
      document,
      topology,
      new EventBridgeClient({ region: REGION }),
      async () => [],
    );
    const landing = target.rules.find((rule) => rule.service === 'file-landing');
    expect(landing?.sharedBus).toEqual({
      busArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
      archiveArn: `arn:aws:events:${REGION}:${ACCOUNT}:archive/${document.archives.notifications}`,
    });
    expect(landing?.arn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/${landing?.name}`);
    expect(
      target.rules
        .filter((rule) => rule.sharedBus === undefined)
        .every((rule) => rule.arn.includes(`/${document.bus}/`)),
    ).toBe(true);
  });
});
