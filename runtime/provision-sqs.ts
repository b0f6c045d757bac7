import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueSettings } from '../topology/types.ts';
import { serviceQueueNames } from './physical-names.ts';

/** One provisioned queue. */
export interface ProvisionedQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

/** A service's queue, the DLQ SQS redrives into, and the rule-target DLQ the bus falls back to. */
export interface ProvisionedServiceQueues {
  readonly queue: ProvisionedQueue;
  readonly dlq: ProvisionedQueue;
  readonly busDlq: ProvisionedQueue;
}

/**
 * Create (or converge) a service's queue, its DLQ and its bus DLQ.
 * DLQs keep messages for `dlqRetentionSeconds` because SQS counts retention from the original send.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export async function ensureServiceQueues(
  sqs: SQSClient,
  stage: string,
  service: string,
  settings: QueueSettings,
): Promise<ProvisionedServiceQueues> {
  const names = serviceQueueNames(stage, service);
  const dlqAttributes = { MessageRetentionPeriod: String(settings.dlqRetentionSeconds) };
  const [dlq, busDlq] = await Promise.all([
    ensureQueue(sqs, names.dlq, dlqAttributes),
    ensureQueue(sqs, names.busDlq, dlqAttributes),
  ]);
  const queue = await ensureQueue(sqs, names.queue, {
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(settings.retentionSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: settings.maxReceiveCount,
    }),
  });
  return { queue, dlq, busDlq };
}

async function ensureQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<ProvisionedQueue> {
  let url: string | undefined;
  try {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
  } catch (error) {
    // CreateQueue is idempotent only for identical attributes; a changed topology converges instead.
    if (!(error instanceof QueueNameExists)) throw error;
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    if (url) await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  }
  if (!url)
    throw new Error(
      `SQS returned no URL for queue ${name}. Check the SQS endpoint (fauxqs) is the one provisioned.`,
    );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`SQS returned no ARN for queue ${name}.`);
  return { name, url, arn };
}
