import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** How a service turns one SQS record into one idempotent unit of work. */
export interface ConsumerDefinition<Work, Result extends JSONValue> {
  /** Parse and validate the record; throw for a poison message (it is retried, then lands in the DLQ). */
  parse(record: SQSRecord): Work;
  /** Business identity of the work (file sha256, fileId + stage + runId …), never the SQS messageId. */
  idempotencyKey(work: Work): string;
  /** Fields that must match when a key is reused; a mismatch fails loudly instead of being skipped. */
  fingerprint(work: Work): string;
  /** Keys every log line of this record carries (correlationId, runId, fileId). */
  logKeys(work: Work): Record<string, string>;
  /** The use case. Must be safe to repeat: an in-progress record can expire and run again. */
  process(work: Work, context: Context): Promise<Result>;
}

export interface ConsumerDeps {
  /** Service name: prefixes idempotency keys, so services sharing a table (or a process offline) never collide. */
  service: string;
  persistenceStore: BasePersistenceLayer;
  logger: Logger;
  /** How long a completed key suppresses repeats; longer than any redelivery or replay window. */
  expiresAfterSeconds?: number;
}

interface IdempotentInput<Work> {
  key: string;
  fingerprint: string;
  work: Work;
}

const THIRTY_DAYS = 30 * 24 * 3600;

/**
 * An SQS-triggered handler: Powertools `BatchProcessor` reports failed records in
 * `batchItemFailures`, and each record runs once per business key through `makeIdempotent`.
 * Records run one at a time so log keys and memory stay per record.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export function createSqsConsumer<Work, Result extends JSONValue>(
  definition: ConsumerDefinition<Work, Result>,
  deps: ConsumerDeps,
) {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'fingerprint',
    expiresAfterSeconds: deps.expiresAfterSeconds ?? THIRTY_DAYS,
  });
  const processOnce = makeIdempotent(
    async (input: IdempotentInput<Work>, context: Context): Promise<Result> =>
      definition.process(input.work, context),
    { persistenceStore: deps.persistenceStore, config, keyPrefix: deps.service },
  );

  const processRecord = async (record: SQSRecord, context: Context): Promise<Result> => {
    const work = definition.parse(record);
    const keys = definition.logKeys(work);
    deps.logger.appendKeys(keys);
    try {
      const input: IdempotentInput<Work> = Object.freeze({
        key: definition.idempotencyKey(work),
        fingerprint: definition.fingerprint(work),
        work,
      });
      return await processOnce(input, context);
    } catch (error) {
      // Logged here with the record's keys, re-thrown so only this record is retried.
      deps.logger.error('Record failed; it will be retried and reach the DLQ after maxReceiveCount', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: error as Error,
      });
      throw error;
    } finally {
      deps.logger.removeKeys(Object.keys(keys));
    }
  };

  const bare = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    config.registerLambdaContext(context);
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, (record: SQSRecord) => processRecord(record, context), processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };

  return {
    /** The bare batch function, for tests that pass their own context. */
    bare,
    /** The Lambda entry point: middy + Powertools logger context. */
    handler: middy(bare).use(injectLambdaContext(deps.logger, { resetKeys: true })),
  };
}
