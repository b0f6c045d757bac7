import { lookup } from './lookup.ts';
import type { AlarmMetric, AlarmSpec } from './plan/alarms.ts';
import { names } from './plan/names.ts';
import type { Queues } from './queues.ts';
import type { StageConfig } from './stage-config.ts';

/** What alarms name: queues, functions and the event log's delivery streams. */
export interface AlarmTargets {
  readonly queues: Queues;
  readonly functions: Readonly<Record<string, sst.aws.Function>>;
  readonly streams: Readonly<Record<string, aws.kinesis.FirehoseDeliveryStream>>;
}

function metricArgs(
  spec: AlarmSpec,
  metric: AlarmMetric,
  deps: AlarmTargets,
): Partial<aws.cloudwatch.MetricAlarmArgs> {
  switch (metric.kind) {
    case 'queue':
      return {
        namespace: 'AWS/SQS',
        metricName: metric.metricName,
        dimensions: { QueueName: lookup(deps.queues, metric.queue, 'queue').nodes.queue.name },
        statistic: spec.statistic,
        period: spec.periodSeconds,
      };
    case 'function':
      return {
        namespace: 'AWS/Lambda',
        metricName: metric.metricName,
        dimensions: { FunctionName: lookup(deps.functions, metric.function, 'function').name },
        statistic: spec.statistic,
        period: spec.periodSeconds,
      };
    case 'deliveryStream':
      return {
        namespace: 'AWS/Firehose',
        metricName: metric.metricName,
        dimensions: { DeliveryStreamName: lookup(deps.streams, metric.stream, 'delivery stream').name },
        statistic: spec.statistic,
        period: spec.periodSeconds,
      };
    case 'insights':
      return {
        metricQueries: [
          {
            id: 'q',
            expression: metric.query,
            period: spec.periodSeconds,
            label: metric.metricName,
            returnData: true,
          },
        ],
      };
  }
}

/** The on-call topic (encrypted with the messaging key) and every alarm of the plan, to it. */
export function createAlarms(
  specs: readonly AlarmSpec[],
  deps: AlarmTargets,
  messagingKey: aws.kms.Key,
  config: StageConfig,
): aws.sns.Topic {
  const topic = new aws.sns.Topic(names.alarmTopic(), { kmsMasterKeyId: messagingKey.arn });
  if (config.alarmEmail) {
    // The address must confirm the subscription once (AWS sends the link).
    new aws.sns.TopicSubscription(`${names.alarmTopic()}Email`, {
      topic: topic.arn,
      protocol: 'email',
      endpoint: config.alarmEmail,
    });
  }
  for (const spec of specs) {
    new aws.cloudwatch.MetricAlarm(spec.name, {
      alarmDescription: spec.description,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.evaluationPeriods,
      // No datapoints means an empty queue or an idle function, not an incident.
      treatMissingData: 'notBreaching',
      alarmActions: [topic.arn],
      okActions: [topic.arn],
      ...metricArgs(spec, spec.metric, deps),
    });
  }
  return topic;
}
