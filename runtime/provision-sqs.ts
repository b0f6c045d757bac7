import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueSettings } from '../topology/types.ts';
import { serviceQueueNames, unitQueueNames } from './physical-names.ts';

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

/** A unit worker's queue and the DLQ SQS redrives it into (`trigger.kind === 'units'`). */
export interface ProvisionedUnitQueues {
  readonly queue: ProvisionedQueue;
  readonly dlq: ProvisionedQueue;
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
  const [redriven, busDlq] = await Promise.all([
    ensureRedrivenQueue(sqs, names, settings),
    ensureQueue(sqs, names.busDlq, dlqAttributes(settings)),
  ]);
  return { ...redriven, busDlq };
}

/** Create (or converge) a unit worker's queue and its DLQ, with the redrive policy of a service queue. */
export function ensureUnitQueues(
  sqs: SQSClient,
  stage: string,
  worker: string,
  settings: QueueSettings,
): Promise<ProvisionedUnitQueues> {
  return ensureRedrivenQueue(sqs, unitQueueNames(stage, worker), settings);
}

const dlqAttributes = (settings: QueueSettings) => ({
  MessageRetentionPeriod: String(settings.dlqRetentionSeconds),
});

/** The DLQ first, then the queue whose RedrivePolicy names it. */
async function ensureRedrivenQueue(
  sqs: SQSClient,
  names: { readonly queue: string; readonly dlq: string },
  settings: QueueSettings,
): Promise<{ queue: ProvisionedQueue; dlq: ProvisionedQueue }> {
  const dlq = await ensureQueue(sqs, names.dlq, dlqAttributes(settings));
  const queue = await ensureQueue(sqs, names.queue, {
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(settings.retentionSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: settings.maxReceiveCount,
    }),
  });
  return { queue, dlq };
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
