import type { BucketName } from '../topology/types.ts';
import { lookup } from './lookup.ts';
import { names } from './plan/names.ts';
import { eventPattern, type RuleSpec } from './plan/rules.ts';
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
        JSON.stringify(eventPattern(spec.match, (bucket: BucketName) => lookup(resolved, bucket, 'bucket'))),
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
