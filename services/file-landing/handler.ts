import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { perEnvironment } from '../../lib/aws/clients.ts';
import { parseEventBridgeBody, UnexpectedEventError } from '../../lib/consumer/eventbridge-record.ts';
import { type ConsumerDefinition, createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { type LandingOutcome, landFile } from './file-landing.ts';
import { recordableKey } from './object-key-text.ts';
import type { FileLandingDeps } from './ports.ts';
import { deliveryIdempotencyKey, readS3ObjectCreated, type S3ObjectCreated } from './s3-notification.ts';
import { sideEffects } from './side-effects.ts';

/** Parse an SQS record holding S3's "Object Created" EventBridge event; anything else is a poison message. */
export function parseObjectCreatedRecord(record: SQSRecord): S3ObjectCreated {
  const result = readS3ObjectCreated(parseEventBridgeBody(record));
  if (!result.ok) throw new UnexpectedEventError(record.messageId, result.problem);
  return Object.freeze(result.notice);
}

/**
 * file-landing as an idempotent SQS consumer. The key is the delivery (bucket, key, object version);
 * content-level dedup is the file record's conditional write.
 */
export function fileLandingConsumer(
  deps: () => FileLandingDeps = () => sideEffects().landing,
): ConsumerDefinition<S3ObjectCreated, LandingOutcome> {
  return {
    parse: parseObjectCreatedRecord,
    idempotencyKey: (notice) => deliveryIdempotencyKey(notice, deps().settings.panHmacKey),
    fingerprint: (notice) => `${notice.size ?? '-'}:${notice.etag ?? '-'}`,
    logKeys: (notice) => ({
      s3EventId: notice.eventId,
      landingKey: recordableKey(notice.key, deps().settings.panHmacKey).slice(0, 300),
      partner: notice.key.split('/')[1]?.slice(0, 40) ?? '',
    }),
    process: (notice) => landFile(notice, deps()),
  };
}

const consumer = perEnvironment(() => createSqsConsumer(fileLandingConsumer(), sideEffects().consumer));

/** Lambda entry point (S3 Object Created → EventBridge → SQS). Wiring is built on the first invocation. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
