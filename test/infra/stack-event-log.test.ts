import { describe, expect, it } from 'vitest';
import {
  type EventLogZone,
  firehoseErrorPrefix,
  firehosePrefix,
  PARTITION_KEY_QUERY,
} from '../../lib/event-log/layout.ts';
import { names } from '../../stacks/plan/names.ts';
import { ACCOUNT, type DeclaredResource, mockState, ofType } from './harness/sst-mocks.ts';
import { json, one, STAGES, useStages } from './harness/stages.ts';

/**
 * The real sst.config.ts and stacks/ under Pulumi's mocks (a development stage and production): the bus event log,
 * two rules feeding two Firehose streams with dynamic partitioning into the event-log bucket.
 */
const stage_ = useStages();

const STREAM = 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream';
const RULE = 'aws:cloudwatch/eventRule:EventRule';
const ZONES: readonly EventLogZone[] = ['main', 'restricted'];

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, unknown>>;
}

const arnOf = (resource: DeclaredResource) =>
  String(mockState(resource.type, resource.name, resource.inputs).arn);
const inlinePolicy = (role: DeclaredResource) =>
  json<{ Statement: PolicyStatement[] }>((role.inputs.inlinePolicies as { policy: string }[])[0]?.policy)
    .Statement;

describe.each(STAGES)('%s stage', (stage) => {
  const s = () => stage_(stage);
  const bucket = () => s().arns.arn(names.bucket('event-log'), 'bucket');

  it.each(ZONES)(
    'writes the %s zone with one Firehose stream: partitioned by type and date, newline-delimited, SSE-KMS',
    (zone) => {
      const stream = one(s().run, STREAM, names.eventLogStream(zone));

      expect(stream.inputs).toMatchObject({
        destination: 'extended_s3',
        serverSideEncryption: { enabled: true },
        extendedS3Configuration: {
          bucketArn: bucket(),
          kmsKeyArn: s().arns.arn(names.bucketKey('event-log'), 'key'),
          roleArn: arnOf(one(s().run, 'aws:iam/role:Role', names.eventLogDeliveryRole(zone))),
          prefix: firehosePrefix(zone),
          errorOutputPrefix: firehoseErrorPrefix(zone),
          bufferingSize: 64,
          bufferingInterval: 300,
          compressionFormat: 'UNCOMPRESSED',
          dynamicPartitioningConfiguration: { enabled: true },
          processingConfiguration: {
            enabled: true,
            processors: [
              {
                type: 'MetadataExtraction',
                parameters: [
                  { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
                  { parameterName: 'MetadataExtractionQuery', parameterValue: PARTITION_KEY_QUERY },
                ],
              },
              { type: 'AppendDelimiterToRecord' },
            ],
          },
        },
      });
      expect(ofType(s().run, STREAM)).toHaveLength(2);
    },
  );

  it('feeds the streams from two rules: every finledger event, and the landing notifications on the default bus', () => {
    const main = one(s().run, RULE, names.eventLogRule('main'));
    const restricted = one(s().run, RULE, names.eventLogRule('restricted'));
    const archive = one(s().run, 'aws:cloudwatch/eventArchive:EventArchive', names.notificationArchive());
    const notReplayed = { 'replay-name': [{ exists: false }] };

    expect(main.inputs.eventBusName).toBe(s().arns.physicalName(names.bus(), 'bus'));
    expect(json(main.inputs.eventPattern)).toEqual({ source: [{ prefix: '' }], ...notReplayed });
    expect(restricted.inputs.eventBusName).toBe('default');
    expect(json(restricted.inputs.eventPattern)).toEqual({
      ...json(archive.inputs.eventPattern),
      ...notReplayed,
    });
    for (const zone of ZONES) {
      const target = one(
        s().run,
        'aws:cloudwatch/eventTarget:EventTarget',
        `${names.eventLogRule(zone)}Target`,
      );
      expect(target.inputs).toMatchObject({
        arn: arnOf(one(s().run, STREAM, names.eventLogStream(zone))),
        roleArn: arnOf(one(s().run, 'aws:iam/role:Role', names.eventLogSendRole())),
        // An event the stream refuses is kept, not dropped after EventBridge's retries.
        deadLetterConfig: { arn: s().arns.arn(names.eventLogDlq(zone), 'queue') },
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 },
      });
    }
  });

  it.each(ZONES)('alarms when the %s stream delivers late, on the stream itself', (zone) => {
    const alarm = one(
      s().run,
      'aws:cloudwatch/metricAlarm:MetricAlarm',
      `${names.eventLogStream(zone)}FreshnessAlarm`,
    );
    expect(alarm.inputs).toMatchObject({
      namespace: 'AWS/Firehose',
      metricName: 'DeliveryToS3.DataFreshness',
      dimensions: { DeliveryStreamName: String(mockState(STREAM, names.eventLogStream(zone), {}).name) },
      threshold: 900,
    });
  });

  it("lets this account's EventBridge rules put records on the two streams and nothing else", () => {
    const role = one(s().run, 'aws:iam/role:Role', names.eventLogSendRole());

    expect(json<{ Statement: PolicyStatement[] }>(role.inputs.assumeRolePolicy).Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      }),
    ]);
    expect(inlinePolicy(role)).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        Resource: ZONES.map((zone) => arnOf(one(s().run, STREAM, names.eventLogStream(zone)))),
      }),
    ]);
  });

  it.each([
    ['main', ['event-log/*', 'event-log-errors/*']],
    ['restricted', ['restricted/event-log/*', 'restricted/event-log-errors/*']],
  ] as const)(
    "lets Firehose write the %s zone's prefixes only, with the bucket key through S3, for this account only",
    (zone, paths) => {
      const role = one(s().run, 'aws:iam/role:Role', names.eventLogDeliveryRole(zone));
      const statements = inlinePolicy(role);
      const resources = statements.flatMap((statement) => [statement.Resource].flat());

      expect(json<{ Statement: PolicyStatement[] }>(role.inputs.assumeRolePolicy).Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'firehose.amazonaws.com' },
          Condition: { StringEquals: { 'sts:ExternalId': ACCOUNT } },
        }),
      ]);
      expect(resources.filter((arn) => arn.startsWith(`${bucket()}/`)).sort()).toEqual(
        paths.map((path) => `${bucket()}/${path}`).sort(),
      );
      expect(resources.filter((arn) => arn.startsWith('arn:aws:kms'))).toEqual([
        s().arns.arn(names.bucketKey('event-log'), 'key'),
      ]);
      expect(
        statements.find((statement) => [statement.Action].flat().includes('kms:Decrypt'))?.Condition,
      ).toEqual({
        StringLike: { 'kms:ViaService': ['s3.*.amazonaws.com'] },
      });
      expect(resources).not.toContain('*');
    },
  );

  it('keeps the log as long as the archive and its restricted part as long as card data', () => {
    const lifecycle = one(
      s().run,
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
      `${names.bucket('event-log')}Lifecycle`,
    );
    const rules = lifecycle.inputs.rules as { id: string; filter: unknown; expiration?: { days: number } }[];
    const { archiveRetentionDays, restrictedRetentionDays } = s().plan.config;
    const expiring = rules
      .filter((rule) => rule.expiration)
      .map((rule) => [rule.id, rule.filter, rule.expiration?.days]);

    expect(archiveRetentionDays).toBe(stage === 'production' ? 0 : 7);
    expect(expiring).toEqual([
      ['expire-card-data-restricted', { prefix: 'restricted/' }, restrictedRetentionDays],
      // The archive keeps production events indefinitely: so does the log.
      ...(archiveRetentionDays === 0
        ? []
        : [
            ['expire-with-archive-event-log', { prefix: 'event-log/' }, archiveRetentionDays],
            ['expire-with-archive-event-log-errors', { prefix: 'event-log-errors/' }, archiveRetentionDays],
          ]),
    ]);
  });

  it('names the event-log bucket in the stage outputs', () => {
    expect(s().run.outputs['event-logBucket']).toBe(
      s().arns.physicalName(names.bucket('event-log'), 'bucket'),
    );
  });
});
