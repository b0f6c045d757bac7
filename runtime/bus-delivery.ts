import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { BusEvent } from './bus-events.ts';
import type { BusRule } from './bus-rules.ts';
import { describeError, type RuntimeLogger } from './logger.ts';

/** Where each matched rule's copy of an event ended up. */
export type DeliveryOutcome =
  | { readonly rule: string; readonly status: 'delivered' }
  | { readonly rule: string; readonly status: 'dead-lettered'; readonly error: string }
  | { readonly rule: string; readonly status: 'lost'; readonly error: string };

/** Queue URLs by queue name, as provisioned. */
export type QueueUrls = ReadonlyMap<string, string>;

/**
 * Send the event to every matched rule's target queue, retrying a few times; when a target keeps failing,
 * put the event in the rule's DLQ with the attributes EventBridge adds, so it can be inspected and redriven.
 * In AWS, delivery is asynchronous and retried for up to 24 h; locally it completes before PutEvents returns.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
export async function deliver(
  event: BusEvent,
  rules: readonly BusRule[],
  context: { sqs: SQSClient; queueUrls: QueueUrls; attempts: number; logger: RuntimeLogger },
): Promise<DeliveryOutcome[]> {
  return Promise.all(rules.map((rule) => deliverToRule(event, rule, context)));
}

async function deliverToRule(
  event: BusEvent,
  rule: BusRule,
  {
    sqs,
    queueUrls,
    attempts,
    logger,
  }: { sqs: SQSClient; queueUrls: QueueUrls; attempts: number; logger: RuntimeLogger },
): Promise<DeliveryOutcome> {
  const body = JSON.stringify(event);
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: urlOf(queueUrls, rule.target.queueName), MessageBody: body }),
      );
      return { rule: rule.name, status: 'delivered' };
    } catch (error) {
      lastError = error;
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (attempt - 1)));
    }
  }
  const { error: message, errorName } = describeError(lastError);
  try {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: urlOf(queueUrls, rule.deadLetter.queueName),
        MessageBody: body,
        MessageAttributes: deadLetterAttributes(rule, errorName, message, attempts),
      }),
    );
    logger.warn('bus target failed; event sent to the rule DLQ', {
      rule: rule.name,
      eventId: event.id,
      error: message,
    });
    return { rule: rule.name, status: 'dead-lettered', error: message };
  } catch (dlqError) {
    // Same outcome as EventBridge without a working DLQ: the event is dropped. It stays in the archive.
    logger.error('bus target and its DLQ failed; event dropped (replay it from the archive)', {
      rule: rule.name,
      eventId: event.id,
      ...describeError(dlqError),
    });
    return { rule: rule.name, status: 'lost', error: message };
  }
}

function deadLetterAttributes(
  rule: BusRule,
  errorName: string | undefined,
  message: string,
  attempts: number,
): Record<string, MessageAttributeValue> {
  const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
  return {
    RULE_ARN: text(rule.arn),
    TARGET_ARN: text(rule.target.arn),
    ERROR_CODE: text(errorCode(errorName)),
    ERROR_MESSAGE: text(message.slice(0, 1000) || 'unknown error'),
    EXHAUSTED_RETRY_CONDITION: text('MaximumRetryAttempts'),
    RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(attempts - 1) },
  };
}

function errorCode(errorName: string | undefined): string {
  if (errorName === 'QueueDoesNotExist' || errorName === 'AWS.SimpleQueueService.NonExistentQueue')
    return 'RESOURCE_NOT_FOUND';
  if (errorName?.includes('Throttl')) return 'THROTTLING';
  return 'SDK_CLIENT_ERROR';
}

function urlOf(queueUrls: QueueUrls, name: string): string {
  const url = queueUrls.get(name);
  if (!url)
    throw new Error(`Queue ${name} was not provisioned. Run provision() with the same topology and stage.`);
  return url;
}
