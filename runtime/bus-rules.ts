import { type EventPattern, subscriptionPattern } from '../topology/event-patterns.ts';
import { physicalName } from '../topology/names.ts';
import type { Subscription, Topology } from '../topology/types.ts';

import { busPhysicalName, LOCAL_ACCOUNT, queueArn, serviceQueueNames } from './physical-names.ts';

/** One bus rule: what it matches and where it delivers, as EventBridge would hold it. */
export interface BusRule {
  readonly name: string;
  readonly arn: string;
  readonly service: string;
  readonly subscription: Subscription;
  readonly eventPattern: EventPattern;
  /** The service queue (an EventBridge → SQS target delivers the whole event as the message body). */
  readonly target: { readonly queueName: string; readonly arn: string };
  /** The rule target's DLQ: where events go when delivery to the target keeps failing. */
  readonly deadLetter: { readonly queueName: string; readonly arn: string };
}

/**
 * The bus rules derived from `topology.services[].subscriptions`, as data so the CLI can show them and
 * `stacks/` can declare the same patterns.
 * @example busRules(topology, 'local').map((rule) => rule.name)
 */
export function busRules(topology: Topology, stage: string, region = 'us-east-1'): BusRule[] {
  const bus = busPhysicalName(topology, stage);
  return topology.services.flatMap((service) =>
    service.subscriptions.map((subscription) => {
      const names = serviceQueueNames(stage, service.name);
      const name = ruleName(stage, service.name, subscription);
      return {
        name,
        arn: `arn:aws:events:${region}:${LOCAL_ACCOUNT}:rule/${bus}/${name}`,
        service: service.name,
        subscription,
        eventPattern: subscriptionPattern(subscription, (bucket) => physicalName(stage, bucket)),
        target: { queueName: names.queue, arn: queueArn(region, names.queue) },
        deadLetter: { queueName: names.busDlq, arn: queueArn(region, names.busDlq) },
      };
    }),
  );
}

function ruleName(stage: string, service: string, subscription: Subscription): string {
  const what =
    subscription.kind === 'event'
      ? `${subscription.type}-v${subscription.version}`
      : `${subscription.source}-${subscription.detailType}-${subscription.bucket}`;
  // Rule names allow [.-_A-Za-z0-9], at most 64 characters.
  return `${physicalName(stage, service)}-${what}`.replace(/[^.\-_A-Za-z0-9]/g, '').slice(0, 64);
}

/**
 * Whether an event matches a pattern: every pattern field must be present and equal one of the listed
 * values (an array value in the event matches if any element does), recursively for nested objects.
 * Only exact matching is implemented; prefix, numeric and anything-but filters are not used by the topology.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const record = event as Record<string, unknown>;
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = record[field];
    if (isValueList(expected)) {
      const candidates = Array.isArray(actual) ? actual : [actual];
      return candidates.some((candidate) => expected.includes(candidate as string | number));
    }
    return matchesPattern(expected, actual);
  });
}

function isValueList(
  value: readonly (string | number)[] | EventPattern,
): value is readonly (string | number)[] {
  return Array.isArray(value);
}
