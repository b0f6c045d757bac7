import { subscriptionPattern } from '../topology/event-patterns.ts';
import type { BucketName } from '../topology/types.ts';
import { lookup } from './lookup.ts';
import { names } from './plan/names.ts';
import { defaultBusPattern, type RuleSpec } from './plan/rules.ts';
import type { Queues } from './queues.ts';
import type { StageConfig } from './stage-config.ts';
import type { Buckets } from './storage.ts';

/** The finledger bus and its archive (the source of replays; kept indefinitely in production). */
export function createBus(config: StageConfig): { bus: sst.aws.Bus; archive: aws.cloudwatch.EventArchive } {
  const bus = new sst.aws.Bus(names.bus());
  const archive = new aws.cloudwatch.EventArchive(
    names.archive(),
    {
      eventSourceArn: bus.arn,
      // 0 keeps events indefinitely.
      retentionDays: config.archiveRetentionDays,
      description: `Every finledger event on ${$app.stage}, for replay after a fix.`,
    },
    { protect: config.production, retainOnDelete: config.production },
  );
  return { bus, archive };
}

/**
 * One rule per subscription, each with one target: the service's queue, with EventBridge's retry
 * policy and a DLQ, so an undeliverable event is kept instead of dropped after 24 h.
 */
export function createRules(
  specs: readonly RuleSpec[],
  deps: { bus: sst.aws.Bus; queues: Queues; buckets: Buckets },
): Record<string, aws.cloudwatch.EventRule> {
  const bucketNames = $resolve(
    Object.fromEntries(Object.entries(deps.buckets).map(([name, bucket]) => [name, bucket.name])),
  );
  const rules: Record<string, aws.cloudwatch.EventRule> = {};
  for (const spec of specs) {
    const eventBusName = spec.bus === 'default' ? 'default' : deps.bus.name;
    const rule = new aws.cloudwatch.EventRule(spec.name, {
      eventBusName,
      description: `${spec.service} subscription`,
      eventPattern: bucketNames.apply((resolved) =>
        JSON.stringify(
          subscriptionPattern(spec.match, (bucket: BucketName) => lookup(resolved, bucket, 'bucket')),
        ),
      ),
    });
    new aws.cloudwatch.EventTarget(`${spec.name}Target`, {
      rule: rule.name,
      eventBusName,
      arn: lookup(deps.queues, spec.targetQueue, 'queue').arn,
      deadLetterConfig: { arn: lookup(deps.queues, spec.deadLetterQueue, 'DLQ').arn },
      retryPolicy: spec.retry,
    });
    rules[spec.name] = rule;
  }
  return rules;
}

/**
 * The archive of what finledger consumes from the account's default bus (S3 "Object Created" of the landing
 * bucket), so file-landing is replayable on a deployed stage like every other consumer. Its pattern is the union of
 * the default-bus rules' patterns: nothing else of the account is kept. A partner chooses its object keys and a key
 * can hold a card number, which an archive cannot delete: so it expires like card data (`restrictedRetentionDays`);
 * a landing older than that is reprocessed from raw by `rerun`, never replayed.
 */
export function createNotificationArchive(
  specs: readonly RuleSpec[],
  deps: { buckets: Buckets },
  config: StageConfig,
): aws.cloudwatch.EventArchive | undefined {
  const fromDefault = specs.filter((spec) => spec.bus === 'default');
  if (fromDefault.length === 0) return undefined;
  const bucketNames = $resolve(
    Object.fromEntries(Object.entries(deps.buckets).map(([name, bucket]) => [name, bucket.name])),
  );
  const region = aws.getRegionOutput().name;
  const account = aws.getCallerIdentityOutput().accountId;
  return new aws.cloudwatch.EventArchive(names.notificationArchive(), {
    eventSourceArn: $interpolate`arn:aws:events:${region}:${account}:event-bus/default`,
    retentionDays: config.restrictedRetentionDays,
    description: `S3 notifications finledger consumes on ${$app.stage} (landing), for replay; expire like card data.`,
    eventPattern: bucketNames.apply((resolved) =>
      JSON.stringify(defaultBusPattern(specs, (bucket: BucketName) => lookup(resolved, bucket, 'bucket'))),
    ),
  });
}
