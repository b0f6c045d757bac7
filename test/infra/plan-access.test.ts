import { describe, expect, it } from 'vitest';
import { scheduleExpression, sstHandler } from '../../stacks/plan/functions.ts';
import type { ResourceRef } from '../../stacks/plan/iam.ts';
import { names } from '../../stacks/plan/names.ts';
import { buildPlan } from '../../stacks/plan/plan.ts';
import { TopologyRuleError } from '../../stacks/plan/queues.ts';
import { CardDataPlacementError } from '../../stacks/plan/storage.ts';
import { stageConfig } from '../../stacks/stage-config.ts';
import { topology } from '../../topology/topology.ts';
import type { BucketName } from '../../topology/types.ts';
import { TEST_PRODUCTION_ENV } from './harness/sst-mocks.ts';

/** The pure plan (no Pulumi): functions and their triggers, least-privilege IAM, tables and buckets. */

const dev = buildPlan(topology, stageConfig('dev', {}));
const production = buildPlan(topology, stageConfig('production', TEST_PRODUCTION_ENV));
const units = [...topology.services, ...topology.workers];

describe('functions', () => {
  it.each([
    ['services/file-landing/handler.ts', undefined, 'services/file-landing/handler.handler'],
    ['services/outbox-relay/handler.ts', 'sweepHandler', 'services/outbox-relay/handler.sweepHandler'],
  ])('turns %s (%s) into the SST handler %s', (path, exportName, expected) => {
    expect(sstHandler(path, exportName)).toBe(expected);
  });

  it.each([
    [60, 'rate(1 minute)'],
    [300, 'rate(5 minutes)'],
    [3600, 'rate(1 hour)'],
    [7200, 'rate(2 hours)'],
  ])('schedules every %ss as %s', (seconds, expression) => {
    expect(scheduleExpression(seconds)).toBe(expression);
  });

  it.each([30, 90])('refuses a %ss schedule (not whole minutes)', (seconds) => {
    expect(() => scheduleExpression(seconds)).toThrow(TopologyRuleError);
  });

  it('declares one function per service and worker, with memory, timeout and batch size from the topology', () => {
    expect(dev.functions.map((spec) => spec.unit)).toEqual(units.map((unit) => unit.name));
    for (const service of topology.services) {
      const spec = dev.functions.find((candidate) => candidate.unit === service.name);
      expect(spec).toMatchObject({
        memoryMb: service.function.memoryMb,
        timeoutSeconds: service.function.timeoutSeconds,
      });
      expect(spec?.trigger).toMatchObject({
        kind: 'queue',
        queue: names.queue(service.name),
        batchSize: service.function.batchSize,
      });
    }
  });

  it('sends the stream worker failures to its DLQ, schedules the scheduled ones and leaves the rest to operators', () => {
    for (const worker of topology.workers) {
      const trigger = dev.functions.find((spec) => spec.unit === worker.name)?.trigger;
      const expected = {
        stream: () => ({
          kind: 'stream',
          table: (worker.trigger as { table: string }).table,
          onFailure: names.dlq(worker.name),
        }),
        schedule: () => ({
          kind: 'schedule',
          expression: scheduleExpression((worker.trigger as { everySeconds: number }).everySeconds),
          dlq: names.dlq(worker.name),
        }),
        invoke: () => ({ kind: 'invoke' }),
        units: () => ({ kind: 'queue', queue: names.queue(worker.name) }),
      }[worker.trigger.kind]();
      expect(trigger).toEqual(expect.objectContaining(expected));
    }
    expect(dev.functions.find((spec) => spec.unit === 'rerun')?.trigger).toEqual({ kind: 'invoke' });
  });
});

describe('least-privilege IAM', () => {
  const refsOf = (unit: string): ResourceRef[] =>
    dev.functions
      .find((spec) => spec.unit === unit)
      ?.statements.flatMap((statement) => statement.resources) ?? [];

  it.each(units.map((unit) => [unit.name, unit] as const))(
    '%s reaches only the tables and buckets it declares',
    (name, unit) => {
      const refs = refsOf(name);
      const tables = new Set(refs.flatMap((ref) => (ref.kind === 'table' ? [ref.table] : [])));
      const buckets = new Set(refs.flatMap((ref) => (ref.kind === 'bucket' ? [ref.bucket] : [])));
      const keys = new Set(refs.flatMap((ref) => (ref.kind === 'key' ? [ref.key] : [])));

      expect([...tables].sort()).toEqual([...unit.tables].sort());
      expect([...buckets].sort()).toEqual(Object.keys(unit.buckets).sort());
      for (const table of unit.tables) expect(keys).toContain(names.tableKey(table));
      // Listing alone reads no object, so it needs no bucket key.
      for (const [bucket, access] of Object.entries(unit.buckets) as [BucketName, { mode: string }][])
        if (access.mode === 'list') expect(keys).not.toContain(names.bucketKey(bucket));
        else expect(keys).toContain(names.bucketKey(bucket));
      expect(keys.size).toBeLessThanOrEqual(unit.tables.length + Object.keys(unit.buckets).length + 1);
    },
  );

  it.each(
    units.flatMap((unit) =>
      (
        Object.entries(unit.buckets) as [
          BucketName,
          { mode: string; prefixes?: readonly string[]; deletes?: boolean },
        ][]
      ).map(([bucket, access]) => [unit.name, bucket, access] as const),
    ),
  )('%s uses bucket %s only in its declared mode and prefixes', (name, bucket, access) => {
    const statements = (dev.functions.find((spec) => spec.unit === name)?.statements ?? []).filter(
      (statement) => statement.resources.some((ref) => ref.kind === 'bucket' && ref.bucket === bucket),
    );
    const actions = statements.flatMap((statement) => statement.actions);
    const paths = statements.flatMap((statement) =>
      statement.resources.flatMap((ref) => (ref.kind === 'bucket' && ref.path !== null ? [ref.path] : [])),
    );

    expect(actions.includes('s3:GetObject')).toBe(access.mode === 'read' || access.mode === 'readwrite');
    expect(actions.includes('s3:PutObject')).toBe(access.mode === 'write' || access.mode === 'readwrite');
    expect(actions.includes('s3:ListBucket')).toBe(access.mode !== 'write');
    expect(actions.includes('s3:DeleteObject')).toBe(access.deletes === true);
    expect(actions.includes('s3:DeleteObjectVersion')).toBe(access.deletes === true);
    for (const path of paths) {
      expect(access.prefixes?.some((prefix) => path === `${prefix}*`) ?? path === '*').toBe(true);
    }
  });

  it('lets only file-landing delete, and only in the landing bucket (keys holding a card number)', () => {
    const deleters = dev.functions.flatMap((spec) =>
      spec.statements
        .filter((statement) => statement.actions.some((action) => action.startsWith('s3:Delete')))
        .flatMap((statement) =>
          statement.resources.flatMap((ref) =>
            ref.kind === 'bucket' ? [`${spec.unit}:${ref.bucket}/${ref.path}`] : [],
          ),
        ),
    );

    expect(deleters).toEqual(['file-landing:landing/inbound/*']);
  });

  it('lets the operator-invoked rerun list raw and restricted keys but never read their bytes or decrypt them', () => {
    const rerun = dev.functions.find((spec) => spec.unit === 'rerun')!;
    const bucketActions = rerun.statements.filter((statement) =>
      statement.resources.some((ref) => ref.kind === 'bucket'),
    );
    const keys = rerun.statements.flatMap((statement) =>
      statement.resources.flatMap((ref) => (ref.kind === 'key' ? [ref.key] : [])),
    );

    expect(bucketActions.flatMap((statement) => statement.actions)).toEqual([
      's3:ListBucket',
      's3:ListBucket',
    ]);
    expect(bucketActions.flatMap((statement) => statement.conditions?.[0]?.values ?? [])).toEqual([
      'raw/*',
      'restricted/*',
    ]);
    expect(keys.sort()).toEqual([names.tableKey('files'), names.tableKey('outbox')].sort());
    expect(rerun.tables).toEqual(['files', 'outbox']);
    expect(rerun.timeoutSeconds).toBe(900);
  });

  it('gives PutEvents on the bus only to the workers that declare publishesToBus, never to a service', () => {
    const publishers = dev.functions.filter((spec) =>
      spec.statements.some((statement) => statement.actions.includes('events:PutEvents')),
    );

    expect(publishers.map((spec) => spec.unit).sort()).toEqual([
      'completeness-watchdog',
      'outbox-relay',
      'outbox-sweeper',
    ]);
    expect(publishers.map((spec) => spec.unit).sort()).toEqual(
      topology.workers
        .filter((worker) => worker.publishesToBus)
        .map((worker) => worker.name)
        .sort(),
    );
    for (const spec of publishers) expect(spec.links).toContain(names.bus());
  });

  it('links each stage secret only to the services and workers that declare it', () => {
    for (const secret of topology.secrets) {
      const linked = dev.functions
        .filter((spec) => spec.links.includes(secret.name))
        .map((spec) => spec.unit);

      expect(linked.sort()).toEqual(
        [...topology.services, ...topology.workers]
          .filter((unit) => unit.secrets?.includes(secret.name))
          .map((unit) => unit.name)
          .sort(),
      );
      expect(linked).toContain('schema-validate');
    }
  });

  it('never grants a wildcard action or a service-wide action', () => {
    for (const spec of dev.functions) {
      for (const statement of spec.statements) {
        for (const action of statement.actions) expect(action).toMatch(/^[a-z0-9]+:[A-Za-z*]+$/);
        expect(statement.actions.some((action) => action.endsWith(':*') || action === '*')).toBe(false);
      }
    }
  });

  it('uses KMS keys only through the service that owns the data', () => {
    for (const spec of dev.functions) {
      for (const statement of spec.statements.filter((candidate) =>
        candidate.actions.some((a) => a.startsWith('kms:')),
      )) {
        expect(statement.conditions?.[0]?.variable).toBe('kms:ViaService');
      }
    }
  });
});

describe('storage', () => {
  it('gives every table on-demand PITR and its own key, the outbox a stream and TTLs as declared', () => {
    for (const table of topology.tables) {
      const plan = dev.tables.find((candidate) => candidate.table === table.name);
      expect(plan).toMatchObject({ pointInTimeRecovery: true, key: names.tableKey(table.name) });
      expect(plan?.ttl).toBe(table.ttlAttribute);
      expect(Object.keys(plan?.globalIndexes ?? {})).toEqual(table.indexes.map((index) => index.name));
    }
    expect(dev.tables.find((table) => table.table === 'outbox')?.stream).toBe('new-image');
  });

  it('versions raw everywhere and adds compliance Object Lock for 7 years in production only', () => {
    const raw = (plan: typeof dev) => plan.buckets.find((bucket) => bucket.bucket === 'raw');

    expect(raw(production)).toMatchObject({
      versioning: true,
      objectLock: { mode: 'COMPLIANCE', years: 7 },
      protect: true,
    });
    expect(raw(dev)).toMatchObject({ versioning: true, objectLock: null, protect: false });
    expect(raw(dev)?.coldAfterDays).toBeGreaterThan(0);
  });

  it.each([
    ['dev', dev, 1],
    ['production', production, 30],
  ])('expires card data under restricted/ only, after %s retention', (_stage, plan, days) => {
    expect(
      plan.buckets.filter((bucket) => bucket.cardData).map((bucket) => [bucket.bucket, bucket.cardData]),
    ).toEqual([
      ['quarantine', { prefixes: ['restricted/'], retentionDays: days }],
      // Landing notifications in the bus event log: their object keys may hold a card number.
      ['event-log', { prefixes: ['restricted/'], retentionDays: days }],
    ]);
  });

  it.each([
    ['an immutable bucket', 'raw', { cardDataPrefixes: ['raw/'] }, /cannot hold card data/],
    ['an undeclared prefix', 'landing', { cardDataPrefixes: ['cards/'] }, /not among its prefixes/],
  ])('refuses card data on %s', (_name, name, change, message) => {
    // Prepare
    const buckets = topology.buckets.map((bucket) =>
      bucket.name === name ? { ...bucket, ...change } : bucket,
    );

    // Act / Assess
    expect(() => buildPlan({ ...topology, buckets }, stageConfig('dev', {}))).toThrow(CardDataPlacementError);
    expect(() => buildPlan({ ...topology, buckets }, stageConfig('dev', {}))).toThrow(message);
  });

  it('sends landing notifications to EventBridge, and no other bucket', () => {
    expect(
      dev.buckets.filter((bucket) => bucket.eventBridgeNotifications).map((bucket) => bucket.bucket),
    ).toEqual(['landing']);
  });

  it('protects production data and its keys, and nothing on a development stage', () => {
    expect([...production.tables, ...production.buckets].every((plan) => plan.protect)).toBe(true);
    expect(
      production.keys.filter((key) => key.name !== names.messagingKey()).every((key) => key.protect),
    ).toBe(true);
    expect([...dev.tables, ...dev.buckets, ...dev.keys].some((plan) => plan.protect)).toBe(false);
  });
});
