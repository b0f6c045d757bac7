import { describe, expect, it } from 'vitest';
import { QUEUE_CONSUMER_ACTIONS, QUEUE_SENDER_ACTIONS, type StatementSpec } from '../../stacks/plan/iam.ts';
import { names } from '../../stacks/plan/names.ts';
import { buildPlan } from '../../stacks/plan/plan.ts';
import { MAX_RETENTION_SECONDS, TopologyRuleError } from '../../stacks/plan/queues.ts';
import { stageConfig } from '../../stacks/stage-config.ts';
import { topology } from '../../topology/topology.ts';
import { UNIT_PROBE, UNIT_PROBE_SENDER, withUnitWorker } from './harness/unit-topology.ts';

/** The plan of a topology with one unit worker (`trigger.kind === 'units'`), against finledger's own plan. */

const plan = buildPlan(withUnitWorker(), stageConfig('dev', {}));
const baseline = buildPlan(topology, stageConfig('dev', {}));
const queue = names.queue(UNIT_PROBE);
const dlq = names.dlq(UNIT_PROBE);
const functionOf = (unit: string) =>
  plan.functions.find((spec) => spec.unit === unit) ?? expect.fail(`no function for ${unit}`);
const touchesUnitQueue = (statement: StatementSpec) =>
  statement.resources.some((ref) => ref.kind === 'queue' && (ref.queue === queue || ref.queue === dlq));

describe('a units worker', () => {
  it('gets a queue redriving to its DLQ after the service queues’ receive count, visibility 6× its timeout', () => {
    expect(plan.queues.find((spec) => spec.name === queue)).toEqual({
      name: queue,
      role: 'unit',
      owner: UNIT_PROBE,
      visibilityTimeoutSeconds: 6 * 300,
      retentionSeconds: 4 * 24 * 3600,
      redrive: { dlq, maxReceiveCount: 5 },
    });
    expect(plan.queues.find((spec) => spec.name === dlq)).toMatchObject({
      role: 'unit-dlq',
      owner: UNIT_PROBE,
      retentionSeconds: MAX_RETENTION_SECONDS,
    });
    expect(plan.queues).toHaveLength(baseline.queues.length + 2);
    // A TLS-only policy like every queue; no rule may send to it.
    expect(plan.queuePolicies.filter((policy) => [queue, dlq].includes(policy.queue))).toEqual([
      { queue, senderRules: [] },
      { queue: dlq, senderRules: [] },
    ]);
  });

  it('consumes its queue like a service: SQS event source with its batch size, partial batch responses in the stack', () => {
    expect(functionOf(UNIT_PROBE)).toMatchObject({
      trigger: { kind: 'queue', queue, batchSize: 2, maximumBatchingWindowSeconds: 0 },
      links: expect.arrayContaining([queue]),
      sendsTo: [queue],
    });
  });

  it('may receive, delete and hide its units, and send follow-up units, through the messaging key via SQS only', () => {
    const statements = functionOf(UNIT_PROBE).statements;

    expect(statements).toEqual(
      expect.arrayContaining([
        { sid: 'ConsumeQueue', actions: QUEUE_CONSUMER_ACTIONS, resources: [{ kind: 'queue', queue }] },
        expect.objectContaining({ sid: 'DecryptQueue', actions: ['kms:Decrypt'] }),
        { sid: 'SendUnits', actions: QUEUE_SENDER_ACTIONS, resources: [{ kind: 'queue', queue }] },
        {
          sid: 'EncryptUnits',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [{ kind: 'key', key: names.messagingKey() }],
          conditions: [{ test: 'StringLike', variable: 'kms:ViaService', values: ['sqs.*.amazonaws.com'] }],
        },
      ]),
    );
    expect(statements.flatMap((statement) => statement.actions)).not.toContain('sqs:*');
  });

  it('lets the sending service send to the queue, find its URL through a link, and encrypt with the messaging key', () => {
    const sender = functionOf(UNIT_PROBE_SENDER);

    expect(sender.links).toContain(queue);
    expect(sender.sendsTo).toContain(queue);
    // One statement for every unit queue the service feeds (finledger's own chunk worker's too).
    expect(sender.statements.filter(touchesUnitQueue)).toEqual([
      {
        sid: 'SendUnits',
        actions: QUEUE_SENDER_ACTIONS,
        resources: expect.arrayContaining([{ kind: 'queue', queue }]),
      },
    ]);
    expect(sender.statements.find((statement) => statement.sid === 'EncryptUnits')).toMatchObject({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [{ kind: 'key', key: names.messagingKey() }],
    });
  });

  it('gives no other function a link to, or a permission on, the unit queues', () => {
    const others = plan.functions.filter((spec) => ![UNIT_PROBE, UNIT_PROBE_SENDER].includes(spec.unit));

    for (const spec of others) {
      expect(spec.links).not.toContain(queue);
      expect(spec.sendsTo).not.toContain(queue);
      expect(spec.statements.filter(touchesUnitQueue)).toEqual([]);
      expect(spec).toEqual(baseline.functions.find((candidate) => candidate.unit === spec.unit));
    }
  });

  it('alarms when its DLQ holds a unit, when its oldest unit is older than the SLO, and on its errors and throttles', () => {
    const alarm = (name: string) => plan.alarms.find((candidate) => candidate.name === name);

    expect(alarm(`${dlq}NotEmptyAlarm`)).toMatchObject({
      runbook: 'dlq-not-empty',
      metric: { kind: 'queue', queue: dlq, metricName: 'ApproximateNumberOfMessagesVisible' },
      threshold: 0,
    });
    expect(alarm(`${queue}AgeAlarm`)).toMatchObject({
      runbook: 'queue-age',
      metric: { kind: 'queue', queue, metricName: 'ApproximateAgeOfOldestMessage' },
      threshold: plan.config.slo.oldestMessageAgeSeconds,
    });
    expect(alarm(`${queue}NotEmptyAlarm`)).toBeUndefined();
    expect(alarm(`${names.function(UNIT_PROBE)}ErrorsAlarm`)).toBeDefined();
    expect(alarm(`${names.function(UNIT_PROBE)}ThrottlesAlarm`)).toBeDefined();
    expect(plan.alarms).toHaveLength(baseline.alarms.length + 4);
  });

  it('refuses units from a service the topology does not have, naming the worker, the sender and the services', () => {
    const broken = withUnitWorker('schema-validation');

    expect(() => buildPlan(broken, stageConfig('dev', {}))).toThrow(TopologyRuleError);
    expect(() => buildPlan(broken, stageConfig('dev', {}))).toThrow(
      /unit-probe: its units come from "schema-validation", which is not a service of the topology; set trigger\.from in topology\.ts to one of: .*schema-validate/,
    );
  });
});
