import { describe, expect, it } from 'vitest';
import { planEventLog } from '../../stacks/plan/event-log.ts';
import { buildPlan } from '../../stacks/plan/plan.ts';
import { TopologyRuleError } from '../../stacks/plan/queues.ts';
import { planRules } from '../../stacks/plan/rules.ts';
import { stageConfig } from '../../stacks/stage-config.ts';
import { topology } from '../../topology/topology.ts';
import type { Topology } from '../../topology/types.ts';

/** The pure plan of the bus event log (no Pulumi): its zones, its policies and its bucket's retention. */

const rules = planRules(topology);

function withEventLogBucket(change: Record<string, unknown> | null): Topology {
  return {
    ...topology,
    buckets: topology.buckets.flatMap((bucket) =>
      bucket.name !== 'event-log' ? [bucket] : change === null ? [] : [{ ...bucket, ...change }],
    ),
  };
}

describe('event log plan', () => {
  it('logs the finledger bus and, apart, the default-bus notifications the subscriptions consume', () => {
    // Act
    const plan = planEventLog(topology, rules);

    // Assess
    expect(plan.streams.map((stream) => [stream.zone, stream.bus, stream.name, stream.rule])).toEqual([
      ['main', 'finledger', 'EventLogStream', 'EventLogRule'],
      ['restricted', 'default', 'RestrictedEventLogStream', 'RestrictedEventLogRule'],
    ]);
    expect(plan.sendStatements.flatMap((statement) => statement.resources)).toEqual([
      { kind: 'deliveryStream', stream: 'EventLogStream' },
      { kind: 'deliveryStream', stream: 'RestrictedEventLogStream' },
    ]);
  });

  it('has no restricted stream when nothing consumes the default bus', () => {
    // Act
    const plan = planEventLog(
      topology,
      rules.filter((rule) => rule.bus !== 'default'),
    );

    // Assess
    expect(plan.streams.map((stream) => stream.zone)).toEqual(['main']);
  });

  it.each([
    ['without an event-log bucket', null, /has no event-log bucket/],
    [
      'when the bucket does not declare the prefixes the log writes',
      { prefixes: ['event-log/'] },
      /does not declare the prefixes the event log writes \(event-log-errors\/\)/,
    ],
  ])('refuses a topology %s, saying what to fix', (_name, change, message) => {
    // Act / Assess
    expect(() => planEventLog(withEventLogBucket(change), rules)).toThrow(TopologyRuleError);
    expect(() => planEventLog(withEventLogBucket(change), rules)).toThrow(message);
  });

  it.each([
    ['a development stage', 7, 7],
    ['staging', 30, 30],
    ['production', 0, null],
  ])(
    'expires the event log of %s with the bus archive (null: kept indefinitely, as the archive)',
    (_stage, archiveRetentionDays, days) => {
      // Act
      const plan = buildPlan(topology, { ...stageConfig('dev', {}), archiveRetentionDays });
      const bucket = plan.buckets.find((candidate) => candidate.bucket === 'event-log');

      // Assess
      expect(bucket?.archiveCopies).toEqual({
        prefixes: ['event-log/', 'event-log-errors/'],
        expireAfterDays: days,
      });
      expect(
        plan.buckets.filter((candidate) => candidate.archiveCopies).map((candidate) => candidate.bucket),
      ).toEqual(['event-log']);
    },
  );

  it('refuses archive-retention prefixes the bucket does not declare', () => {
    // Act / Assess
    expect(() =>
      buildPlan(withEventLogBucket({ archiveRetentionPrefixes: ['logs/'] }), stageConfig('dev', {})),
    ).toThrow(/archive-retention prefixes logs\/ that are not among its prefixes/);
  });
});
