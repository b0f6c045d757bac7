import { lookup } from './lookup.ts';
import { queuePolicy } from './plan/policies.ts';
import type { QueueSpec } from './plan/queues.ts';
import type { QueuePolicySpec } from './plan/rules.ts';

export type Queues = Readonly<Record<string, sst.aws.Queue>>;

/** SQS queues, all SSE-KMS with the messaging key; DLQs first so a queue's redrive can name its DLQ. */
export function createQueues(specs: readonly QueueSpec[], messagingKey: aws.kms.Key): Queues {
  const queues: Record<string, sst.aws.Queue> = {};
  const ordered = [...specs].sort(
    (a, b) => Number(a.redrive !== undefined) - Number(b.redrive !== undefined),
  );
  for (const spec of ordered) {
    queues[spec.name] = new sst.aws.Queue(spec.name, {
      visibilityTimeout: `${spec.visibilityTimeoutSeconds} seconds`,
      ...(spec.redrive
        ? { dlq: { queue: lookup(queues, spec.redrive.dlq, 'DLQ').arn, retry: spec.redrive.maxReceiveCount } }
        : {}),
      transform: {
        queue: (args) => {
          args.messageRetentionSeconds = spec.retentionSeconds;
          args.kmsMasterKeyId = messagingKey.arn;
          // Reuse data keys for 5 minutes: far fewer KMS calls for the same protection.
          args.kmsDataKeyReusePeriodSeconds = 300;
        },
      },
    });
  }
  return queues;
}

/** The one policy each queue may have: TLS only, EventBridge sends only from its own rules. */
export function createQueuePolicies(
  specs: readonly QueuePolicySpec[],
  queues: Queues,
  rules: Readonly<Record<string, aws.cloudwatch.EventRule>>,
): void {
  for (const spec of specs) {
    const queue = lookup(queues, spec.queue, 'queue');
    const ruleArns = spec.senderRules.map((rule) => lookup(rules, rule, 'rule').arn);
    new aws.sqs.QueuePolicy(`${spec.queue}Policy`, {
      queueUrl: queue.url,
      policy: $resolve<string, string[]>([queue.arn, $resolve(ruleArns)]).apply(
        ([queueArn, senderRuleArns]) => JSON.stringify(queuePolicy({ queueArn, senderRuleArns })),
      ),
    });
  }
}
