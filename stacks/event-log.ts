import type { BucketName } from '../topology/types.ts';
import type { Keys } from './keys.ts';
import { lookup } from './lookup.ts';
import {
  type EventLogPlan,
  type EventLogRef,
  type EventLogStatement,
  type EventLogStreamPlan,
  eventLogPattern,
} from './plan/event-log.ts';
import { names } from './plan/names.ts';
import type { RuleSpec } from './plan/rules.ts';
import type { Queues } from './queues.ts';
import type { Buckets } from './storage.ts';

type Streams = Record<string, aws.kinesis.FirehoseDeliveryStream>;

/**
 * The bus event log (`lib/event-log/layout.ts`): EventBridge cannot list an archive, so every event is also written
 * to S3 for `finledger replay --dry-run`.
 * 1. Per zone: the role Firehose writes with (its zone's prefixes and the bucket key only), then a delivery stream
 *    partitioning each record by detail-type and UTC date with one jq query, newline after each record.
 * 2. The role EventBridge puts records with.
 * 3. Per zone: one rule on its bus (every finledger event; landing's notifications on the default bus) targeting
 *    its stream, with EventBridge's retry policy and a DLQ: an event the stream refused is kept and alarmed.
 */
export function createEventLog(
  plan: EventLogPlan,
  rules: readonly RuleSpec[],
  deps: { bus: sst.aws.Bus; buckets: Buckets; keys: Keys; queues: Queues },
): { streams: Streams; rules: Record<string, aws.cloudwatch.EventRule> } {
  const account = aws.getCallerIdentityOutput().accountId;
  const streams: Streams = {};
  for (const stream of plan.streams) streams[stream.name] = createStream(stream, plan, deps, account);
  const sendRole = new aws.iam.Role(plan.sendRole, {
    // Only this account's rules may use the role (confused deputy).
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
    assumeRolePolicy: serviceTrust('events.amazonaws.com', { 'aws:SourceAccount': account }),
    inlinePolicies: [{ name: 'put-records', policy: policyOf(plan.sendStatements, deps, streams) }],
  });
  const bucketNames = $resolve(
    Object.fromEntries(Object.entries(deps.buckets).map(([name, bucket]) => [name, bucket.name])),
  );
  const logRules: Record<string, aws.cloudwatch.EventRule> = {};
  for (const stream of plan.streams) {
    const eventBusName = stream.bus === 'default' ? 'default' : deps.bus.name;
    const rule = new aws.cloudwatch.EventRule(stream.rule, {
      eventBusName,
      description: `Bus event log (${stream.zone}) for replay dry runs`,
      eventPattern: bucketNames.apply((resolved) =>
        JSON.stringify(
          eventLogPattern(stream.zone, rules, (bucket: BucketName) => lookup(resolved, bucket, 'bucket')),
        ),
      ),
    });
    new aws.cloudwatch.EventTarget(`${stream.rule}Target`, {
      rule: rule.name,
      eventBusName,
      arn: lookup(streams, stream.name, 'delivery stream').arn,
      roleArn: sendRole.arn,
      deadLetterConfig: { arn: lookup(deps.queues, stream.deadLetterQueue, 'DLQ').arn },
      retryPolicy: stream.retry,
    });
    logRules[stream.rule] = rule;
  }
  return { streams, rules: logRules };
}

function createStream(
  stream: EventLogStreamPlan,
  plan: EventLogPlan,
  deps: { buckets: Buckets; keys: Keys },
  account: $util.Output<string>,
): aws.kinesis.FirehoseDeliveryStream {
  const role = new aws.iam.Role(stream.role, {
    // Firehose passes the account as external ID: only this account's streams can use the role.
    // https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
    assumeRolePolicy: serviceTrust('firehose.amazonaws.com', { 'sts:ExternalId': account }),
    inlinePolicies: [{ name: 'write-zone', policy: policyOf(stream.statements, deps, {}) }],
  });
  return new aws.kinesis.FirehoseDeliveryStream(stream.name, {
    destination: 'extended_s3',
    // The buffer holds landing notifications too: encrypted at rest like everything else.
    serverSideEncryption: { enabled: true, keyType: 'AWS_OWNED_CMK' },
    extendedS3Configuration: {
      roleArn: role.arn,
      bucketArn: lookup(deps.buckets, plan.bucket, 'bucket').arn,
      kmsKeyArn: lookup(deps.keys, names.bucketKey(plan.bucket), 'KMS key').arn,
      prefix: stream.prefix,
      errorOutputPrefix: stream.errorOutputPrefix,
      bufferingSize: stream.buffering.sizeMb,
      bufferingInterval: stream.buffering.intervalSeconds,
      compressionFormat: 'UNCOMPRESSED',
      dynamicPartitioningConfiguration: { enabled: true, retryDuration: stream.retrySeconds },
      processingConfiguration: {
        enabled: true,
        processors: [
          {
            type: 'MetadataExtraction',
            parameters: [
              { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              { parameterName: 'MetadataExtractionQuery', parameterValue: stream.partitionKeyQuery },
            ],
          },
          // EventBridge sends each event as one JSON record without a newline; the default delimiter is one.
          { type: 'AppendDelimiterToRecord' },
        ],
      },
    },
  });
}

function policyOf(
  statements: readonly EventLogStatement[],
  deps: { buckets: Buckets; keys: Keys },
  streams: Streams,
): $util.Output<string> {
  const arnOf = (ref: EventLogRef): $util.Input<string> => {
    switch (ref.kind) {
      case 'bucket': {
        const bucket = lookup(deps.buckets, ref.bucket, 'bucket');
        return ref.path === null ? bucket.arn : $interpolate`${bucket.arn}/${ref.path}`;
      }
      case 'key':
        return lookup(deps.keys, ref.key, 'KMS key').arn;
      case 'deliveryStream':
        return lookup(streams, ref.stream, 'delivery stream').arn;
    }
  };
  return $jsonStringify({
    Version: '2012-10-17',
    Statement: statements.map((statement) => ({
      Sid: statement.sid,
      Effect: 'Allow',
      Action: [...statement.actions],
      Resource: statement.resources.map(arnOf),
      ...(statement.conditions
        ? {
            Condition: Object.fromEntries(
              statement.conditions.map((condition) => [
                condition.test,
                { [condition.variable]: [...condition.values] },
              ]),
            ),
          }
        : {}),
    })),
  });
}

/** A role only `service` may assume, and only when `equals` holds (the account it acts for). */
function serviceTrust(service: string, equals: Record<string, $util.Output<string>>): $util.Output<string> {
  return $jsonStringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: equals },
      },
    ],
  });
}
