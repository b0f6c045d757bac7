import { BUSINESS_METRICS, type BusinessMetricName } from '../metrics.ts';
import type { StageConfig } from '../stage-config.ts';
import type { EventLogPlan } from './event-log.ts';
import type { FunctionSpec } from './functions.ts';
import { CONSUMED_QUEUE_ROLES, type QueueSpec } from './queues.ts';

/** Anchor in stacks/README.md that tells on-call what to do. */
export type Runbook =
  | 'dlq-not-empty'
  | 'queue-age'
  | 'function-errors'
  | 'function-throttles'
  | 'relay-lag'
  | 'event-log-gap'
  | BusinessMetricName;

export type AlarmMetric =
  | {
      readonly kind: 'queue';
      readonly queue: string;
      readonly metricName: 'ApproximateNumberOfMessagesVisible' | 'ApproximateAgeOfOldestMessage';
    }
  | {
      readonly kind: 'function';
      readonly function: string;
      readonly metricName: 'Errors' | 'Throttles' | 'IteratorAge';
    }
  /**
   * A CloudWatch Metrics Insights query over our namespace: it aggregates every dimension set a
   * service may add (Powertools always adds `service`), so the alarm cannot silently miss datapoints.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-alarms.html
   */
  | { readonly kind: 'insights'; readonly metricName: BusinessMetricName; readonly query: string }
  | {
      readonly kind: 'deliveryStream';
      readonly stream: string;
      readonly metricName: 'DeliveryToS3.DataFreshness';
    };

export interface AlarmSpec {
  readonly name: string;
  readonly description: string;
  readonly runbook: Runbook;
  readonly metric: AlarmMetric;
  readonly statistic: 'Maximum' | 'Sum';
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** Alarm when the value is greater than this. */
  readonly threshold: number;
}

const MINUTE = 60;

function dlqAlarm(queue: QueueSpec): AlarmSpec {
  const eventLog = queue.role === 'event-log-dlq';
  return {
    name: `${queue.name}NotEmptyAlarm`,
    description: eventLog
      ? `${queue.name} holds events ${queue.owner} could not write to the event log: replay dry runs, status --stage and lineage miss them. See stacks/README.md#event-log-gap.`
      : `${queue.name} holds messages: ${queue.owner} gave up on them. See stacks/README.md#dlq-not-empty.`,
    runbook: eventLog ? 'event-log-gap' : 'dlq-not-empty',
    metric: { kind: 'queue', queue: queue.name, metricName: 'ApproximateNumberOfMessagesVisible' },
    statistic: 'Maximum',
    periodSeconds: MINUTE,
    evaluationPeriods: 1,
    threshold: 0,
  };
}

function ageAlarm(queue: QueueSpec, config: StageConfig): AlarmSpec {
  return {
    name: `${queue.name}AgeAlarm`,
    description: `Oldest message in ${queue.name} is older than the ${config.slo.oldestMessageAgeSeconds}s SLO. See stacks/README.md#queue-age.`,
    runbook: 'queue-age',
    metric: { kind: 'queue', queue: queue.name, metricName: 'ApproximateAgeOfOldestMessage' },
    statistic: 'Maximum',
    periodSeconds: MINUTE,
    evaluationPeriods: 1,
    threshold: config.slo.oldestMessageAgeSeconds,
  };
}

function functionAlarms(spec: FunctionSpec, config: StageConfig): AlarmSpec[] {
  const alarms: AlarmSpec[] = [
    {
      name: `${spec.name}ErrorsAlarm`,
      description: `${spec.unit} failed invocations. See stacks/README.md#function-errors.`,
      runbook: 'function-errors',
      metric: { kind: 'function', function: spec.name, metricName: 'Errors' },
      statistic: 'Sum',
      periodSeconds: 5 * MINUTE,
      evaluationPeriods: 1,
      threshold: 0,
    },
    {
      name: `${spec.name}ThrottlesAlarm`,
      description: `${spec.unit} was throttled (throttled SQS receives still count toward maxReceiveCount). See stacks/README.md#function-throttles.`,
      runbook: 'function-throttles',
      metric: { kind: 'function', function: spec.name, metricName: 'Throttles' },
      statistic: 'Sum',
      periodSeconds: 5 * MINUTE,
      evaluationPeriods: 1,
      threshold: 0,
    },
  ];
  if (spec.trigger.kind === 'stream') {
    alarms.push({
      name: `${spec.name}LagAlarm`,
      description: `${spec.unit} is more than ${config.slo.outboxRelayLagSeconds}s behind its stream. See stacks/README.md#relay-lag.`,
      runbook: 'relay-lag',
      metric: { kind: 'function', function: spec.name, metricName: 'IteratorAge' },
      statistic: 'Maximum',
      periodSeconds: MINUTE,
      evaluationPeriods: 3,
      // IteratorAge is reported in milliseconds.
      threshold: config.slo.outboxRelayLagSeconds * 1000,
    });
  }
  return alarms;
}

const BUSINESS_ALARMS: Readonly<Record<BusinessMetricName, { aggregate: 'MAX' | 'SUM'; meaning: string }>> = {
  QuarantineRate: { aggregate: 'MAX', meaning: 'A file quarantined more rows than the stage allows' },
  ReconciliationBreaks: {
    aggregate: 'SUM',
    meaning: 'Reconciliation found totals or counts that do not agree',
  },
  ExpectedFileMissing: {
    aggregate: 'SUM',
    meaning: 'An expected partner file did not arrive by its deadline',
  },
  FilesStalled: { aggregate: 'SUM', meaning: 'A file stopped before reaching a terminal state' },
};

function businessAlarm(metricName: BusinessMetricName, config: StageConfig): AlarmSpec {
  const { aggregate, meaning } = BUSINESS_ALARMS[metricName];
  return {
    name: `${metricName}Alarm`,
    description: `${meaning}. See stacks/README.md#${metricName.toLowerCase()}.`,
    runbook: metricName,
    metric: {
      kind: 'insights',
      metricName,
      query: `SELECT ${aggregate}(${metricName}) FROM "${BUSINESS_METRICS.namespace}"`,
    },
    statistic: aggregate === 'MAX' ? 'Maximum' : 'Sum',
    periodSeconds: 5 * MINUTE,
    evaluationPeriods: 1,
    threshold: metricName === 'QuarantineRate' ? config.quarantineRatePercent : 0,
  };
}

/**
 * Every alarm, all to the on-call topic: each DLQ non-empty (the event log's included), each event-log stream's
 * delivery falling behind, each service and unit queue's oldest message
 * over the stage SLO, each function's errors and throttles (and the relay's lag), and the business
 * metrics the services emit.
 */
export function planAlarms(
  queues: readonly QueueSpec[],
  functions: readonly FunctionSpec[],
  config: StageConfig,
  eventLog: EventLogPlan,
): AlarmSpec[] {
  return [
    ...eventLog.streams.map(
      (stream): AlarmSpec => ({
        name: `${stream.name}FreshnessAlarm`,
        description: `${stream.name} holds events older than ${stream.freshnessAlarmSeconds}s: its S3 delivery is failing, and the bus event log falls behind. See stacks/README.md#event-log-gap.`,
        runbook: 'event-log-gap',
        metric: { kind: 'deliveryStream', stream: stream.name, metricName: 'DeliveryToS3.DataFreshness' },
        statistic: 'Maximum',
        periodSeconds: 5 * MINUTE,
        evaluationPeriods: 1,
        threshold: stream.freshnessAlarmSeconds,
      }),
    ),
    ...queues.filter((queue) => !CONSUMED_QUEUE_ROLES.includes(queue.role)).map(dlqAlarm),
    ...queues
      .filter((queue) => CONSUMED_QUEUE_ROLES.includes(queue.role))
      .map((queue) => ageAlarm(queue, config)),
    // An operator's invoke returns its error to the operator: a typo in a rerun payload must not page on-call.
    ...functions
      .filter((spec) => spec.trigger.kind !== 'invoke')
      .flatMap((spec) => functionAlarms(spec, config)),
    ...(Object.keys(BUSINESS_METRICS.names) as BusinessMetricName[]).map((name) =>
      businessAlarm(name, config),
    ),
  ];
}
