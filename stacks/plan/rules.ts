import { findEvent } from '../../contracts/events/catalog.ts';
import { subscriptionPattern } from '../../topology/event-patterns.ts';
import type { BucketName, Subscription, Topology } from '../../topology/types.ts';
import { names } from './names.ts';
import { TopologyRuleError } from './queues.ts';

/** What a rule matches: one of finledger's event versions, or an AWS-native notification from a bucket. */
export type RuleMatch =
  | { readonly kind: 'event'; readonly type: string; readonly version: number }
  | {
      readonly kind: 'aws';
      readonly source: string;
      readonly detailType: string;
      readonly bucket: BucketName;
    };

/**
 * EventBridge's own limits for a target: after these, an event goes to the target DLQ (or is dropped).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
export const TARGET_RETRY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 24 * 3600 } as const;

export interface RuleSpec {
  /** Component name of the rule (its target is named `<name>Target`). */
  readonly name: string;
  readonly service: string;
  /**
   * `finledger` for our events; `default` for AWS-native ones, because S3 sends its EventBridge
   * notifications to the account's default bus only.
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
   */
  readonly bus: 'finledger' | 'default';
  readonly match: RuleMatch;
  readonly targetQueue: string;
  readonly deadLetterQueue: string;
  readonly retry: typeof TARGET_RETRY;
}

function toMatch(topology: Topology, service: string, subscription: Subscription): RuleMatch {
  if (subscription.kind === 'event') {
    if (!findEvent(subscription.type, subscription.version)) {
      throw new TopologyRuleError(
        `${service} subscribes to ${subscription.type} v${subscription.version}, which contracts/events/catalog.ts does not define.`,
      );
    }
    return { kind: 'event', type: subscription.type, version: subscription.version };
  }
  const bucket = topology.buckets.find((candidate) => candidate.name === subscription.bucket);
  if (!bucket?.eventBridgeNotifications) {
    throw new TopologyRuleError(
      `${service} subscribes to ${subscription.detailType} from bucket "${subscription.bucket}", which is not a bucket with EventBridge notifications.`,
    );
  }
  return {
    kind: 'aws',
    source: subscription.source,
    detailType: subscription.detailType,
    bucket: bucket.name,
  };
}

/** One rule per subscription, targeting the subscribing service's queue, with a DLQ and retry policy. */
export function planRules(topology: Topology): RuleSpec[] {
  return topology.services.flatMap((service) =>
    service.subscriptions.map((subscription) => {
      const match = toMatch(topology, service.name, subscription);
      return {
        name: names.rule(service.name, subscription),
        service: service.name,
        bus: match.kind === 'event' ? 'finledger' : 'default',
        match,
        targetQueue: names.queue(service.name),
        deadLetterQueue: names.deliveryDlq(service.name),
        retry: TARGET_RETRY,
      } satisfies RuleSpec;
    }),
  );
}

/**
 * One pattern matching what every default-bus rule consumes (landing's S3 notifications): the notification archive's
 * and the restricted event log's. Their patterns differ only in the values of the same fields, so values are merged.
 * @example defaultBusPattern(plan.rules, name) // { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [...] } } }
 */
export function defaultBusPattern(
  rules: readonly RuleSpec[],
  bucketName: (bucket: BucketName) => string,
): Record<string, unknown> {
  return mergePatterns(
    rules.filter((rule) => rule.bus === 'default').map((rule) => subscriptionPattern(rule.match, bucketName)),
  );
}

function mergePatterns(patterns: readonly Record<string, unknown>[]): Record<string, unknown> {
  const merge = (a: unknown, b: unknown): unknown => {
    if (Array.isArray(a) && Array.isArray(b)) return [...new Set([...a, ...b])];
    if (typeof a === 'object' && a && typeof b === 'object' && b) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      return Object.fromEntries(
        [...keys].map((key) => [
          key,
          merge((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
        ]),
      );
    }
    return a ?? b;
  };
  return patterns.reduce((merged, pattern) => merge(merged, pattern) as Record<string, unknown>, {});
}

/** Who may send to a queue: the rules targeting it (as target or as target DLQ). */
export interface QueuePolicySpec {
  readonly queue: string;
  readonly senderRules: readonly string[];
}

/**
 * One policy per queue (SQS keeps a single policy document per queue): deny non-TLS access always,
 * and allow EventBridge to send only from the rules that target the queue or use it as their DLQ.
 */
export function planQueuePolicies(
  queueNames: readonly string[],
  rules: readonly (Pick<RuleSpec, 'name' | 'deadLetterQueue'> & { readonly targetQueue?: string })[],
): QueuePolicySpec[] {
  return queueNames.map((queue) => ({
    queue,
    senderRules: rules
      .filter((rule) => rule.targetQueue === queue || rule.deadLetterQueue === queue)
      .map((rule) => rule.name),
  }));
}
