import {
  EVENT_LOG_ZONES,
  type EventLogZone,
  firehoseErrorPrefix,
  firehosePrefix,
  PARTITION_KEY_QUERY,
  zoneErrorRoot,
  zoneRoot,
} from '../../lib/event-log/layout.ts';
import type { BucketName, Topology } from '../../topology/types.ts';
import type { ResourceRef } from './iam.ts';
import { names } from './names.ts';
import { MAX_RETENTION_SECONDS, type QueueSpec, TopologyRuleError } from './queues.ts';
import { defaultBusPattern, type RuleSpec, TARGET_RETRY } from './rules.ts';

/** The topology bucket holding the event log. */
export const EVENT_LOG_BUCKET: BucketName = 'event-log';

/**
 * Firehose buffering per partition: 64 MiB is the least dynamic partitioning accepts; 300 s bounds how late an
 * event shows in a dry run (Firehose's multi-stage buffering can take up to 1.5 times that).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
 */
export const EVENT_LOG_BUFFERING = { sizeMb: 64, intervalSeconds: 300 } as const;

/** How long Firehose retries a partition's S3 delivery before writing it under the error prefix. */
export const EVENT_LOG_RETRY_SECONDS = 3600;

/**
 * Buffering delays delivery up to 1.5 × the interval (450 s); twice that means S3 delivery is failing and retrying, and
 * after `EVENT_LOG_RETRY_SECONDS` Firehose writes the records under the error prefix, where the reader does not look.
 */
export const EVENT_LOG_FRESHNESS_ALARM_SECONDS = 900;

/** What an event-log policy names: the bucket and its key (as in `iam.ts`), or a delivery stream. */
export type EventLogRef =
  | Extract<ResourceRef, { kind: 'bucket' | 'key' }>
  | { readonly kind: 'deliveryStream'; readonly stream: string };

export interface EventLogStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly EventLogRef[];
  readonly conditions?: readonly { test: string; variable: string; values: readonly string[] }[];
}

/** One zone of the log: a rule on its bus → a Firehose stream → the zone's prefix of the bucket. */
export interface EventLogStreamPlan {
  readonly zone: EventLogZone;
  /** Component names of the delivery stream, the rule feeding it, and the role Firehose writes with. */
  readonly name: string;
  readonly rule: string;
  readonly role: string;
  /** Where the rule's target parks what it could not put on the stream, with EventBridge's retry policy. */
  readonly deadLetterQueue: string;
  readonly retry: typeof TARGET_RETRY;
  /** Alarm when the oldest record Firehose holds is older than this (S3 delivery stalled: the log falls behind). */
  readonly freshnessAlarmSeconds: number;
  /** `finledger`: every event of the bus; `default`: what the default-bus rules consume (landing notifications). */
  readonly bus: 'finledger' | 'default';
  readonly prefix: string;
  readonly errorOutputPrefix: string;
  readonly partitionKeyQuery: string;
  readonly buffering: typeof EVENT_LOG_BUFFERING;
  readonly retrySeconds: number;
  /** Firehose → S3 and the bucket key, under this zone's prefixes only. */
  readonly statements: readonly EventLogStatement[];
}

export interface EventLogPlan {
  readonly bucket: BucketName;
  readonly streams: readonly EventLogStreamPlan[];
  /** The role EventBridge assumes to put records on the streams. */
  readonly sendRole: string;
  readonly sendStatements: readonly EventLogStatement[];
}

/**
 * The event log in AWS: per zone a Firehose stream with dynamic partitioning (`lib/event-log/layout.ts`) fed by one
 * rule. The restricted zone exists when some rule consumes the default bus (landing's notifications).
 * @example planEventLog(topology, plan.rules).streams.map((stream) => stream.name) // ['EventLogStream', 'RestrictedEventLogStream']
 */
export function planEventLog(topology: Topology, rules: readonly RuleSpec[]): EventLogPlan {
  const bucket = topology.buckets.find((candidate) => candidate.name === EVENT_LOG_BUCKET);
  if (!bucket)
    throw new TopologyRuleError(
      `The topology has no ${EVENT_LOG_BUCKET} bucket; finledger replay --dry-run reads the bus event log there. Restore it in topology/topology.ts.`,
    );
  const zones = EVENT_LOG_ZONES.filter(
    (zone) => zone === 'main' || rules.some((rule) => rule.bus === 'default'),
  );
  const streams = zones.map((zone): EventLogStreamPlan => {
    const undeclared = [zoneRoot(zone), zoneErrorRoot(zone)].filter(
      (root) => !bucket.prefixes.some((prefix) => root.startsWith(prefix)),
    );
    if (undeclared.length > 0)
      throw new TopologyRuleError(
        `The ${EVENT_LOG_BUCKET} bucket does not declare the prefixes the event log writes (${undeclared.join(', ')}); add them to its prefixes in topology/topology.ts.`,
      );
    return {
      zone,
      name: names.eventLogStream(zone),
      rule: names.eventLogRule(zone),
      role: names.eventLogDeliveryRole(zone),
      deadLetterQueue: names.eventLogDlq(zone),
      retry: TARGET_RETRY,
      freshnessAlarmSeconds: EVENT_LOG_FRESHNESS_ALARM_SECONDS,
      bus: zone === 'main' ? 'finledger' : 'default',
      prefix: firehosePrefix(zone),
      errorOutputPrefix: firehoseErrorPrefix(zone),
      partitionKeyQuery: PARTITION_KEY_QUERY,
      buffering: EVENT_LOG_BUFFERING,
      retrySeconds: EVENT_LOG_RETRY_SECONDS,
      statements: deliveryStatements(zone),
    };
  });
  return {
    bucket: EVENT_LOG_BUCKET,
    streams,
    sendRole: names.eventLogSendRole(),
    sendStatements: [
      {
        sid: 'PutRecords',
        actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        resources: streams.map((stream) => ({ kind: 'deliveryStream', stream: stream.name })),
      },
    ],
  };
}

/** The DLQ of each zone's rule target, declared and alarmed like every other DLQ. */
export function eventLogQueues(plan: EventLogPlan): QueueSpec[] {
  return plan.streams.map((stream) => ({
    name: stream.deadLetterQueue,
    role: 'event-log-dlq',
    owner: stream.rule,
    visibilityTimeoutSeconds: 30,
    retentionSeconds: MAX_RETENTION_SECONDS,
  }));
}

/**
 * The rule pattern of a zone. Replayed events carry `replay-name` and are not logged again: the log counts what
 * the archive holds, and a replay to the bus would otherwise log every replayed event a second time.
 * @example eventLogPattern('main', rules, name) // { source: [{ prefix: '' }], 'replay-name': [{ exists: false }] }
 */
export function eventLogPattern(
  zone: EventLogZone,
  rules: readonly RuleSpec[],
  bucketName: (bucket: BucketName) => string,
): Record<string, unknown> {
  const notReplayed = { 'replay-name': [{ exists: false }] };
  // An empty prefix matches every source: the documented way to match every event of a bus.
  if (zone === 'main') return { source: [{ prefix: '' }], ...notReplayed };
  return { ...defaultBusPattern(rules, bucketName), ...notReplayed };
}

/**
 * What Firehose needs to write a zone: AWS's documented S3 destination actions, objects under the zone's two
 * prefixes only, and the bucket key through S3 only.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
 */
function deliveryStatements(zone: EventLogZone): EventLogStatement[] {
  const bucket = EVENT_LOG_BUCKET;
  return [
    {
      sid: 'ListBucket',
      actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      resources: [{ kind: 'bucket', bucket, path: null }],
    },
    {
      sid: 'WriteZone',
      actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      resources: [zoneRoot(zone), zoneErrorRoot(zone)].map((root) => ({
        kind: 'bucket',
        bucket,
        path: `${root}*`,
      })),
    },
    {
      sid: 'BucketKey',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [{ kind: 'key', key: names.bucketKey(bucket) }],
      conditions: [{ test: 'StringLike', variable: 'kms:ViaService', values: ['s3.*.amazonaws.com'] }],
    },
  ];
}
