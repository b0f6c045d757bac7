import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../../contracts/events/catalog.ts';
import { BUSINESS_METRICS } from '../../stacks/metrics.ts';
import { names } from '../../stacks/plan/names.ts';
import { buildPlan, componentNames } from '../../stacks/plan/plan.ts';
import { keyPolicy, queuePolicy } from '../../stacks/plan/policies.ts';
import {
  CONSUMED_QUEUE_ROLES,
  hasFailureQueue,
  TopologyRuleError,
  unitWorkers,
} from '../../stacks/plan/queues.ts';
import { TARGET_RETRY } from '../../stacks/plan/rules.ts';
import { StageConfigError, stageConfig } from '../../stacks/stage-config.ts';
import { subscriptionPattern } from '../../topology/event-patterns.ts';
import { topology } from '../../topology/topology.ts';
import type { BucketName, ServiceSpec, Topology } from '../../topology/types.ts';
import { TEST_ONCALL, TEST_PRODUCTION_ENV } from './harness/sst-mocks.ts';

/** The pure plan (no Pulumi): stage config, queues, rules, alarms, schemas, names, resource policies. */

const dev = buildPlan(topology, stageConfig('dev', {}));
const production = buildPlan(topology, stageConfig('production', TEST_PRODUCTION_ENV));

function withService(change: (service: ServiceSpec) => ServiceSpec): Topology {
  const [first, ...rest] = topology.services;
  if (!first) throw new Error('topology has no service');
  return { ...topology, services: [change(first), ...rest] };
}

describe('stage config', () => {
  it('keeps production events indefinitely and locks raw objects for 7 years in compliance mode', () => {
    const config = stageConfig('production', TEST_PRODUCTION_ENV);

    expect(config.archiveRetentionDays).toBe(0);
    expect(config.objectLock).toEqual({ mode: 'COMPLIANCE', years: 7 });
    expect(config.production).toBe(true);
  });

  it.each(['dev', 'ci', 'dev-alice', 'ci-1234', 'pr-42'])(
    'treats %s as a removable development stage',
    (stage) => {
      const config = stageConfig(stage, {});

      expect(config).toMatchObject({ stage, production: false, objectLock: null, alarmEmail: null });
      expect(config.archiveRetentionDays).toBeGreaterThan(0);
    },
  );

  it.each(['prod', 'alice', 'Production'])(
    'refuses stage %s without a declared profile, naming the profiles',
    (stage) => {
      expect(() => stageConfig(stage, {})).toThrow(StageConfigError);
      expect(() => stageConfig(stage, {})).toThrow(
        /no profile.*production, staging.*FINLEDGER_STAGE_PROFILE/,
      );
    },
  );

  it('gives a stage the profile it is deployed with', () => {
    const config = stageConfig('prod', { FINLEDGER_STAGE_PROFILE: 'production', ...TEST_PRODUCTION_ENV });

    expect(config).toMatchObject({
      stage: 'prod',
      production: true,
      alarmEmail: TEST_ONCALL.FINLEDGER_ALARM_EMAIL,
    });
    expect(() => stageConfig('prod', { FINLEDGER_STAGE_PROFILE: 'prodution' })).toThrow(/not a profile/);
  });

  it('refuses production without an on-call address, or with a placeholder one', () => {
    expect(() => stageConfig('production', {})).toThrow(/FINLEDGER_ALARM_EMAIL/);
    expect(() =>
      stageConfig('production', { FINLEDGER_ALARM_EMAIL: 'finledger-oncall@example.com' }),
    ).toThrow(/not a real on-call address/);
  });
});

describe('queues', () => {
  it.each(topology.services.map((service) => [service.name, service] as const))(
    'gives %s a queue redriving to its DLQ, and a DLQ for its bus rules',
    (_, service) => {
      const queue = dev.queues.find((spec) => spec.name === names.queue(service.name));
      const dlq = dev.queues.find((spec) => spec.name === names.dlq(service.name));
      const delivery = dev.queues.find((spec) => spec.name === names.deliveryDlq(service.name));

      expect(queue).toMatchObject({
        role: 'service',
        visibilityTimeoutSeconds: service.queue.visibilityTimeoutSeconds,
        retentionSeconds: service.queue.retentionSeconds,
        redrive: { dlq: names.dlq(service.name), maxReceiveCount: service.queue.maxReceiveCount },
      });
      expect(dlq?.retentionSeconds).toBeGreaterThan(service.queue.retentionSeconds);
      expect(delivery).toMatchObject({ role: 'delivery-dlq', owner: service.name });
    },
  );

  it('gives every stream and scheduled worker a DLQ for its failed invocations, unit workers a queue and its DLQ, none to operator-invoked ones', () => {
    const invoked = topology.workers.filter((worker) => worker.trigger.kind === 'invoke');
    const withFailureQueues = topology.workers.filter(hasFailureQueue);
    const units = unitWorkers(topology);
    for (const worker of topology.workers) {
      const role = hasFailureQueue(worker)
        ? 'worker-dlq'
        : worker.trigger.kind === 'units'
          ? 'unit-dlq'
          : undefined;
      expect(dev.queues.find((spec) => spec.name === names.dlq(worker.name))?.role).toBe(role);
    }
    expect(invoked.map((worker) => worker.name)).toEqual(['rerun']);
    const eventLogDlqs = dev.eventLog.streams.length;
    expect(dev.queues).toHaveLength(
      topology.services.length * 3 + withFailureQueues.length + units.length * 2 + eventLogDlqs,
    );
  });

  it('gives each event-log rule target a DLQ of its own, that only that rule may send to', () => {
    for (const stream of dev.eventLog.streams) {
      expect(dev.queues.find((queue) => queue.name === stream.deadLetterQueue)).toMatchObject({
        role: 'event-log-dlq',
        owner: stream.rule,
        retentionSeconds: 14 * 24 * 3600,
      });
      expect(
        dev.queuePolicies.find((policy) => policy.queue === stream.deadLetterQueue)?.senderRules,
      ).toEqual([stream.rule]);
      expect(stream.retry).toEqual(TARGET_RETRY);
    }
  });

  it.each([
    ['a visibility under 6x the timeout', { visibilityTimeoutSeconds: 60 }],
    ['a maxReceiveCount of 1', { maxReceiveCount: 1 }],
    ['a DLQ retention not longer than the queue', { dlqRetentionSeconds: 60 }],
  ])('rejects %s', (_, change) => {
    const broken = withService((service) => ({ ...service, queue: { ...service.queue, ...change } }));

    expect(() => buildPlan(broken, stageConfig('dev', {}))).toThrow(TopologyRuleError);
  });
});

describe('rules', () => {
  it('declares one rule per subscription, each with a DLQ and the EventBridge retry limits', () => {
    const subscriptions = topology.services.flatMap((service) => service.subscriptions);

    expect(dev.rules).toHaveLength(subscriptions.length);
    for (const rule of dev.rules) {
      expect(rule.targetQueue).toBe(names.queue(rule.service));
      expect(rule.deadLetterQueue).toBe(names.deliveryDlq(rule.service));
      expect(rule.retry).toEqual({ maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 });
    }
  });

  it('matches our events on detail-type and detail.version only', () => {
    const pattern = subscriptionPattern({ kind: 'event', type: 'FileLanded', version: 1 }, () => 'unused');

    expect(pattern).toEqual({ 'detail-type': ['FileLanded'], detail: { version: [1] } });
  });

  it('matches S3 notifications on source, detail-type and the physical bucket, on the default bus', () => {
    const rule = dev.rules.find((candidate) => candidate.match.kind === 'aws');
    const physical = (bucket: BucketName) => `finledger-dev-${bucket}`;

    expect(rule?.bus).toBe('default');
    expect(rule && subscriptionPattern(rule.match, physical)).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: ['finledger-dev-landing'] } },
    });
  });

  it('rejects a subscription to an event version the catalog does not define', () => {
    const broken = withService((service) => ({
      ...service,
      subscriptions: [{ kind: 'event', type: 'FileLanded', version: 99 }],
    }));

    expect(() => buildPlan(broken, stageConfig('dev', {}))).toThrow(/FileLanded v99/);
  });

  it('lets EventBridge send to a queue only from the rules that target it or use it as DLQ', () => {
    for (const policy of dev.queuePolicies) {
      const expected = [
        ...dev.rules.filter(
          (rule) => rule.targetQueue === policy.queue || rule.deadLetterQueue === policy.queue,
        ),
        ...dev.eventLog.streams
          .filter((stream) => stream.deadLetterQueue === policy.queue)
          .map((stream) => ({ name: stream.rule })),
      ].map((rule) => rule.name);
      expect(policy.senderRules).toEqual(expected);
    }
    expect(TARGET_RETRY.maximumRetryAttempts).toBe(185);
  });
});

describe('alarms', () => {
  it('alarms on every DLQ holding a message', () => {
    const dlqs = dev.queues.filter((queue) => !CONSUMED_QUEUE_ROLES.includes(queue.role));

    for (const dlq of dlqs) {
      expect(dev.alarms).toContainEqual(
        expect.objectContaining({
          metric: { kind: 'queue', queue: dlq.name, metricName: 'ApproximateNumberOfMessagesVisible' },
          threshold: 0,
        }),
      );
    }
  });

  it('alarms when an event-log stream holds records past its buffering (S3 delivery failing), by the event-log runbook', () => {
    for (const stream of dev.eventLog.streams) {
      expect(dev.alarms).toContainEqual(
        expect.objectContaining({
          runbook: 'event-log-gap',
          metric: { kind: 'deliveryStream', stream: stream.name, metricName: 'DeliveryToS3.DataFreshness' },
          statistic: 'Maximum',
          threshold: 900,
        }),
      );
      expect(
        dev.alarms.find((alarm) => alarm.name === `${stream.deadLetterQueue}NotEmptyAlarm`)?.runbook,
      ).toBe('event-log-gap');
    }
  });

  it('alarms when a service queue is older than the stage SLO', () => {
    for (const plan of [dev, production]) {
      const ages = plan.alarms.filter((alarm) => alarm.runbook === 'queue-age');
      expect(ages).toHaveLength(topology.services.length + unitWorkers(topology).length);
      for (const age of ages) expect(age.threshold).toBe(plan.config.slo.oldestMessageAgeSeconds);
    }
  });

  it('alarms on every triggered function erroring or being throttled, not on operator-invoked ones', () => {
    for (const spec of dev.functions) {
      for (const metricName of ['Errors', 'Throttles']) {
        const alarm = expect.objectContaining({
          metric: { kind: 'function', function: spec.name, metricName },
        });
        if (spec.trigger.kind === 'invoke') expect(dev.alarms).not.toContainEqual(alarm);
        else expect(dev.alarms).toContainEqual(alarm);
      }
    }
    expect(dev.functions.filter((spec) => spec.trigger.kind === 'invoke').map((spec) => spec.unit)).toEqual([
      'rerun',
    ]);
  });

  it('alarms on each business metric in the finledger namespace', () => {
    const insights = dev.alarms.flatMap((alarm) => (alarm.metric.kind === 'insights' ? [alarm.metric] : []));

    expect(insights.map((metric) => metric.metricName).sort()).toEqual(
      Object.keys(BUSINESS_METRICS.names).sort(),
    );
    for (const metric of insights) expect(metric.query).toContain(`FROM "${BUSINESS_METRICS.namespace}"`);
  });
});

describe('schemas', () => {
  it('registers every catalog event version as a JSON Schema draft 4 document', () => {
    expect(dev.schemas.map((schema) => schema.schemaName)).toEqual(
      eventCatalog.map((event) => `finledger@${event.type}-v${event.version}`),
    );
    for (const [index, schema] of dev.schemas.entries()) {
      const content = JSON.parse(schema.content) as {
        $schema: string;
        properties: { 'detail-type': { enum: string[] }; detail: { properties: Record<string, unknown> } };
      };
      expect(schema.type).toBe('JSONSchemaDraft4');
      expect(content.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(content.properties['detail-type'].enum).toEqual([eventCatalog[index]?.type]);
      expect(Object.keys(content.properties.detail.properties)).toEqual(
        expect.arrayContaining(['eventId', 'type', 'version', 'data']),
      );
      expect(schema.description.length).toBeLessThanOrEqual(256);
    }
  });
});

describe('names', () => {
  it('names every component once, using the link names handlers read', () => {
    const all = componentNames(dev).map((name) => name.toLowerCase());

    expect(new Set(all).size).toBe(all.length);
    expect(componentNames(dev)).toEqual(
      expect.arrayContaining(['FilesTable', 'RawBucket', 'FileLandingQueue', 'Bus']),
    );
  });
});

describe('resource policies', () => {
  it("leaves key use to this account's IAM, plus data-key use by the named services", () => {
    const policy = keyPolicy({
      partition: 'aws',
      accountId: '111122223333',
      servicePrincipals: ['events.amazonaws.com'],
    });

    expect(policy.Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }),
      expect.objectContaining({
        Principal: { Service: ['events.amazonaws.com'] },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      }),
    ]);
    expect(keyPolicy({ partition: 'aws', accountId: '1', servicePrincipals: [] }).Statement).toHaveLength(1);
  });

  it('denies non-TLS queue access and lets EventBridge send only from named rules', () => {
    const policy = queuePolicy({ queueArn: 'arn:aws:sqs:eu-west-1:1:q', senderRuleArns: ['arn:rule/a'] });

    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Effect: 'Allow',
        Condition: { ArnEquals: { 'aws:SourceArn': ['arn:rule/a'] } },
      }),
    ]);
  });
});
