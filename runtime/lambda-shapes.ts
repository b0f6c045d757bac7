import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { LOCAL_ACCOUNT } from './physical-names.ts';

/** A Lambda SQS handler as the services export it (Powertools/middy handlers fit this shape). */
// biome-ignore lint/suspicious/noConfusingVoidType: mirrors aws-lambda's SQSHandler so handlers returning nothing type-check.
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/**
 * One received SQS message in the shape Lambda's SQS event source hands to a function.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export function toSqsRecord(message: Message, queue: { arn: string }, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: required(message.MessageId, 'MessageId'),
    receiptHandle: required(message.ReceiptHandle, 'ReceiptHandle'),
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? LOCAL_ACCOUNT,
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...optional('AWSTraceHeader', attributes.AWSTraceHeader),
      ...optional('SequenceNumber', attributes.SequenceNumber),
      ...optional('MessageGroupId', attributes.MessageGroupId),
      ...optional('MessageDeduplicationId', attributes.MessageDeduplicationId),
    },
    messageAttributes: lambdaMessageAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: region,
  };
}

function lambdaMessageAttributes(attributes: Message['MessageAttributes']): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    result[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      // Lambda hands binary attributes over base64-encoded.
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
        : {}),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return result;
}

/** A Lambda context whose `getRemainingTimeInMillis()` counts down from the function timeout. */
export function lambdaContext(spec: {
  functionName: string;
  timeoutSeconds: number;
  memoryMb: number;
  region: string;
}): Context {
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const requestId = randomUUID();
  const unsupported = () => {
    throw new Error('context.done/fail/succeed are not supported offline; return a value or throw instead.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${spec.region}:${LOCAL_ACCOUNT}:function:${spec.functionName}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${spec.functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Message ids Lambda would leave on the queue after an invocation, per its partial-batch rules: a throw
 * fails the whole batch, and so does a `batchItemFailures` entry that is empty or names no record.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export function failedMessageIds(
  records: readonly SQSRecord[],
  outcome: { threw: true } | { threw: false; result: unknown },
): Set<string> {
  const all = new Set(records.map((record) => record.messageId));
  if (outcome.threw) return all;
  const result = outcome.result as Partial<SQSBatchResponse> | null | undefined;
  if (
    result === undefined ||
    result === null ||
    typeof result !== 'object' ||
    result.batchItemFailures == null
  ) {
    return new Set();
  }
  if (!Array.isArray(result.batchItemFailures)) return all;
  const failed = new Set<string>();
  for (const failure of result.batchItemFailures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

function required(value: string | undefined, field: string): string {
  if (!value)
    throw new Error(`SQS returned a message without ${field}; the SQS endpoint is not behaving like SQS.`);
  return value;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
