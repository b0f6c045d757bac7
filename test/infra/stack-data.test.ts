import { describe, expect, it } from 'vitest';
import { names } from '../../stacks/plan/names.ts';
import { hasFailureQueue, unitQueuesSentBy } from '../../stacks/plan/queues.ts';
import { topology } from '../../topology/topology.ts';
import type { BucketName, TableName } from '../../topology/types.ts';
import type { Target } from './harness/arns.ts';
import { ofType, optionsOf } from './harness/sst-mocks.ts';
import { inlineStatements, json, one, STAGES, type Statement, units, useStages } from './harness/stages.ts';

/**
 * The real sst.config.ts and stacks/ under Pulumi's mocks (a development stage and production):
 * tables, buckets, functions, least-privilege IAM and what survives a remove.
 */
const stage_ = useStages();

/** CloudWatch Logs days of the retentions the stages use. */
const RETENTION_DAYS: Readonly<Record<string, number>> = { '1 week': 7, '1 month': 30, '13 months': 400 };

describe.each(STAGES)('%s stage', (stage) => {
  const s = () => stage_(stage);
  describe('tables', () => {
    it.each(topology.tables.map((table) => [table.name, table] as const))(
      'makes %s on-demand, point-in-time recoverable and encrypted with its own key',
      (name, table) => {
        const dynamo = one(s().run, 'aws:dynamodb/table:Table', `${names.table(name)}Table`);

        expect(dynamo.inputs).toMatchObject({
          billingMode: 'PAY_PER_REQUEST',
          pointInTimeRecovery: { enabled: true },
          serverSideEncryption: { enabled: true, kmsKeyArn: s().arns.arn(names.tableKey(name), 'key') },
          deletionProtectionEnabled: stage === 'production',
        });
        expect((dynamo.inputs.globalSecondaryIndexes as { name: string }[]).map((gsi) => gsi.name)).toEqual(
          table.indexes.map((index) => index.name),
        );
        if (table.ttlAttribute)
          expect(dynamo.inputs.ttl).toEqual({ attributeName: table.ttlAttribute, enabled: true });
        if (table.stream)
          expect(dynamo.inputs).toMatchObject({ streamEnabled: true, streamViewType: table.stream });
      },
    );
  });

  describe('buckets', () => {
    it.each(topology.buckets.map((bucket) => [bucket.name] as const))(
      'blocks public access to %s, encrypts it with its key and denies non-TLS requests',
      (name) => {
        const bucket = names.bucket(name);
        const block = one(
          s().run,
          'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
          `${bucket}PublicAccessBlock`,
        );
        const encryption = one(
          s().run,
          'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
          `${bucket}Encryption`,
        );
        const policy = json<{ Statement: Statement[] }>(
          one(s().run, 'aws:s3/bucketPolicy:BucketPolicy', `${bucket}Policy`).inputs.policy,
        );

        expect(block.inputs).toMatchObject({
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
        expect(encryption.inputs.rules).toEqual([
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: 'aws:kms',
              kmsMasterKeyId: s().arns.arn(names.bucketKey(name), 'key'),
            },
            bucketKeyEnabled: true,
          },
        ]);
        expect(policy.Statement).toContainEqual(
          expect.objectContaining({
            effect: 'Deny',
            actions: ['s3:*'],
            conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
          }),
        );
        expect(one(s().run, 'aws:s3/bucket:Bucket', `${bucket}Bucket`).inputs.forceDestroy).toBe(
          stage !== 'production',
        );
      },
    );

    it('versions raw, and locks it in compliance mode for 7 years in production only', () => {
      const raw = names.bucket('raw');
      const lock = ofType(s().run, 'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration');

      expect(
        one(s().run, 'aws:s3/bucketVersioning:BucketVersioning', `${raw}Versioning`).inputs,
      ).toMatchObject({
        versioningConfiguration: { status: 'Enabled' },
      });
      if (stage === 'production') {
        expect(one(s().run, 'aws:s3/bucket:Bucket', `${raw}Bucket`).inputs.objectLockEnabled).toBe(true);
        expect(lock.map((resource) => resource.inputs)).toEqual([
          expect.objectContaining({ rule: { defaultRetention: { mode: 'COMPLIANCE', years: 7 } } }),
        ]);
      } else {
        expect(lock).toEqual([]);
      }
      expect(
        one(s().run, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', `${raw}Lifecycle`)
          .inputs.rules,
      ).toContainEqual(
        expect.objectContaining({ transitions: [expect.objectContaining({ storageClass: 'GLACIER_IR' })] }),
      );
    });

    it("expires quarantine's and the event log's restricted/ objects, their older versions and unfinished uploads after the stage's retention", () => {
      const days = s().config.restrictedRetentionDays;
      const lifecycles = ofType(s().run, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
      const cardDataRules = lifecycles.flatMap((resource) =>
        (resource.inputs.rules as { id: string }[])
          .filter((rule) => rule.id.startsWith('expire-card-data'))
          .map((rule) => [resource.name, rule]),
      );

      const rule = {
        id: 'expire-card-data-restricted',
        status: 'Enabled',
        filter: { prefix: 'restricted/' },
        expiration: { days },
        noncurrentVersionExpiration: { noncurrentDays: days },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      };

      expect(days).toBe(stage === 'production' ? 30 : 1);
      expect(cardDataRules).toEqual([
        [`${names.bucket('quarantine')}Lifecycle`, rule],
        [`${names.bucket('event-log')}Lifecycle`, rule],
      ]);
    });

    it('sends landing events to EventBridge', () => {
      const notifications = ofType(s().run, 'aws:s3/bucketNotification:BucketNotification');

      expect(notifications.map((resource) => [resource.name, resource.inputs.eventbridge])).toEqual([
        [`${names.bucket('landing')}Notifications`, true],
      ]);
    });
  });

  describe('functions', () => {
    it.each(units.map((unit) => [unit.name, unit] as const))(
      'runs %s on Node.js 22 (arm64, DuckDB ones on x86_64 with 10 GB /tmp) as the topology says',
      (name, unit) => {
        const fn = one(s().run, 'aws:lambda/function:Function', `${names.function(name)}Function`);
        const logs = one(s().run, 'aws:cloudwatch/logGroup:LogGroup', `${names.function(name)}LogGroup`);
        const build = s().run.builds.find((request) => request.functionID === names.function(name));
        const exportName = ('exportName' in unit && unit.exportName) || 'handler';

        const setEngine = 'setEngine' in unit.function && unit.function.setEngine === true;
        expect(fn.inputs).toMatchObject({
          runtime: 'nodejs22.x',
          architectures: [setEngine ? 'x86_64' : 'arm64'],
          memorySize: unit.function.memoryMb,
          timeout: unit.function.timeoutSeconds,
          ...(setEngine ? { ephemeralStorage: { size: 10240 } } : {}),
        });
        expect(build?.handler).toBe(`${unit.handler.replace(/\.ts$/, '')}.${exportName}`);
        // The native binding cannot be bundled: it ships in the package's node_modules.
        if (setEngine) expect(build?.properties).toMatchObject({ install: { '@duckdb/node-api': '*' } });
        expect(Object.keys(build?.links ?? {}).sort()).toEqual(
          [...(s().plan.functions.find((spec) => spec.unit === name)?.links ?? [])].sort(),
        );
        expect(logs.inputs.retentionInDays).toBe(RETENTION_DAYS[s().config.logRetention]);
      },
    );

    it.each(topology.services.map((svc) => [svc.name, svc] as const))(
      'feeds %s from its queue with partial batch failures',
      (name, service) => {
        const mapping = one(
          s().run,
          'aws:lambda/eventSourceMapping:EventSourceMapping',
          `${names.function(name)}Source`,
        );

        expect(mapping.inputs).toMatchObject({
          eventSourceArn: s().arns.arn(names.queue(name), 'queue'),
          functionName: s().arns.physicalName(names.function(name), 'function'),
          batchSize: service.function.batchSize,
          functionResponseTypes: ['ReportBatchItemFailures'],
        });
      },
    );

    it.each(topology.workers.filter(hasFailureQueue).map((worker) => [worker.name, worker] as const))(
      'triggers %s with a DLQ for failures',
      (name, worker) => {
        const dlq = s().arns.arn(names.dlq(name), 'queue');
        if (worker.trigger.kind === 'stream') {
          const mapping = one(
            s().run,
            'aws:lambda/eventSourceMapping:EventSourceMapping',
            `${names.function(name)}Source`,
          );
          expect(mapping.inputs).toMatchObject({
            eventSourceArn: expect.stringContaining(
              `${s().arns.arn(names.table(worker.trigger.table as TableName), 'table')}/stream/`,
            ),
            startingPosition: 'TRIM_HORIZON',
            bisectBatchOnFunctionError: true,
            destinationConfig: { onFailure: { destinationArn: dlq } },
          });
        } else if (worker.trigger.kind === 'schedule') {
          const schedule = one(s().run, 'aws:scheduler/schedule:Schedule', `${names.function(name)}Schedule`);
          expect(schedule.inputs).toMatchObject({
            scheduleExpression: `rate(${worker.trigger.everySeconds / 60} minute${worker.trigger.everySeconds === 60 ? '' : 's'})`,
            target: { arn: s().arns.arn(names.function(name), 'function'), deadLetterConfig: { arn: dlq } },
          });
        }
      },
    );

    it('declares the operator-invoked rerun function with no trigger, schedule or DLQ', () => {
      const fn = names.function('rerun');
      const named = (type: string) =>
        ofType(s().run, type).filter((resource) => resource.name.startsWith(fn));

      expect(one(s().run, 'sst:aws:Function', fn)).toBeDefined();
      expect(named('aws:lambda/eventSourceMapping:EventSourceMapping')).toEqual([]);
      expect(named('aws:scheduler/schedule:Schedule')).toEqual([]);
      expect(ofType(s().run, 'sst:aws:Queue').map((queue) => queue.name)).not.toContain(names.dlq('rerun'));
      // Operators find its generated name in the stage outputs.
      expect(Object.keys(s().run.outputs)).toContain('rerunFunction');
    });
  });

  describe('least-privilege IAM', () => {
    const busPublishers = new Set(topology.workers.filter((w) => w.publishesToBus).map((w) => w.name));

    it.each(units.map((unit) => [unit.name, unit] as const))(
      '%s reaches only its own resources',
      (name, unit) => {
        const statements = inlineStatements(s().run, names.function(name));
        const targets = statements.flatMap((statement) =>
          statement.resources.map((arn) => {
            const target = s().arns.resolve(arn);
            if (!target)
              throw new Error(`${name} has a permission on ${arn}, which this stack did not declare`);
            return target;
          }),
        );
        const of = (kind: Target['kind']) =>
          [...new Set(targets.filter((t) => t.kind === kind).map((t) => t.component))].sort();
        const isService = topology.services.some((svc) => svc.name === name);
        const isStream = 'trigger' in unit && unit.trigger.kind === 'stream';
        // Unit queues it feeds (and, for a unit worker, its own: its trigger and where follow-up units go).
        const sendsTo = unitQueuesSentBy(topology, name);
        const listed = (bucket: string) =>
          (unit.buckets as Record<string, { mode: string }>)[bucket]?.mode === 'list';

        expect(of('table')).toEqual(unit.tables.map((table) => names.table(table)).sort());
        expect(of('bucket')).toEqual(
          (Object.keys(unit.buckets) as BucketName[]).map((b) => names.bucket(b)).sort(),
        );
        expect(of('queue')).toEqual(
          [
            ...new Set([
              ...(isService ? [names.queue(name)] : isStream ? [names.dlq(name)] : []),
              ...sendsTo,
            ]),
          ].sort(),
        );
        expect(of('key')).toEqual(
          [
            ...unit.tables.map((table) => names.tableKey(table)),
            ...(Object.keys(unit.buckets) as BucketName[])
              .filter((b) => !listed(b))
              .map((b) => names.bucketKey(b)),
            ...(isService || isStream || sendsTo.length > 0 ? [names.messagingKey()] : []),
          ].sort(),
        );
        expect(of('bus')).toEqual(busPublishers.has(unit.name) ? [names.bus()] : []);
        expect(statements.flatMap((statement) => statement.resources)).not.toContain('*');
      },
    );

    it.each(
      units.flatMap((unit) =>
        (Object.entries(unit.buckets) as [BucketName, { mode: string; prefixes?: readonly string[] }][]).map(
          ([bucket, access]) => [unit.name, bucket, access] as const,
        ),
      ),
    )('%s touches bucket %s only under its prefixes and in its mode', (name, bucket, access) => {
      const objects = inlineStatements(s().run, names.function(name)).flatMap((statement) =>
        statement.resources.flatMap((arn) => {
          const target = s().arns.resolve(arn);
          return target?.kind === 'bucket' &&
            target.component === names.bucket(bucket) &&
            target.path !== null
            ? statement.actions.map((action) => ({ action, path: target.path }))
            : [];
        }),
      );
      const allowed = access.prefixes?.map((prefix) => `${prefix}*`) ?? ['*'];

      // Listing alone grants no object path: only s3:ListBucket on the bucket, under the prefixes.
      expect([...new Set(objects.map((object) => object.path))].sort()).toEqual(
        access.mode === 'list' ? [] : [...allowed].sort(),
      );
      expect(objects.some((object) => object.action === 's3:GetObject')).toBe(
        access.mode === 'read' || access.mode === 'readwrite',
      );
      expect(objects.some((object) => object.action === 's3:PutObject')).toBe(
        access.mode === 'write' || access.mode === 'readwrite',
      );
    });
  });

  describe('removal', () => {
    const data: [string, string][] = [
      ...topology.tables.map((t): [string, string] => [
        'aws:dynamodb/table:Table',
        `${names.table(t.name)}Table`,
      ]),
      ...topology.buckets.map((b): [string, string] => [
        'aws:s3/bucket:Bucket',
        `${names.bucket(b.name)}Bucket`,
      ]),
      ...topology.tables.map((t): [string, string] => ['aws:kms/key:Key', names.tableKey(t.name)]),
      ...topology.buckets.map((b): [string, string] => ['aws:kms/key:Key', names.bucketKey(b.name)]),
      ['aws:cloudwatch/eventArchive:EventArchive', names.archive()],
    ];

    it.each(data)('%s %s is protected and retained in production only', (type, name) => {
      const production = stage === 'production';

      expect(optionsOf(s().run, type, name)).toEqual({ protect: production, retainOnDelete: production });
      expect(s().run.app).toMatchObject({ removal: production ? 'retain' : 'remove', protect: production });
    });
  });
});
