import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import type { RelayReport } from '../../lib/outbox/relay.ts';
import { readOutboxChange } from './adapters/stream-record.ts';
import { AfterFailedRecordError, MissingSequenceNumberError } from './errors.ts';
import { relayStreamRecord, type StreamRecordOutcome, sweepPending } from './outbox-relay.ts';
import type { OutboxRelayPorts } from './ports.ts';
import { relayPorts } from './side-effects.ts';

const logger = serviceLogger('outbox-relay');

/** Where the stream path logs a failed record. */
export type RelayLog = Pick<Logger, 'error'>;

/**
 * Stream trigger: relay the outbox table's records in shard order and report partial failures.
 *
 * With `ReportBatchItemFailures` Lambda checkpoints before the lowest sequence number reported and re-sends
 * every record from there. So once a record fails, the records after it are reported unattempted: they
 * come back in order, and none is published ahead of the retry. A record without a sequence number cannot
 * be reported, so the batch is thrown whole instead.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export async function onOutboxStream(
  event: DynamoDBStreamEvent,
  ports: OutboxRelayPorts = relayPorts(),
  log: RelayLog = logger,
): Promise<DynamoDBBatchResponse> {
  const unnumbered = event.Records.find((record) => !record.dynamodb?.SequenceNumber);
  if (unnumbered) throw new MissingSequenceNumberError(unnumbered.eventID);
  let failedAt: string | undefined;
  const relayRecord = async (record: DynamoDBRecord): Promise<StreamRecordOutcome> => {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    if (failedAt !== undefined) throw new AfterFailedRecordError(sequenceNumber, failedAt);
    try {
      return await relayStreamRecord(readOutboxChange(record), ports);
    } catch (error) {
      failedAt = sequenceNumber;
      log.error('Outbox stream record failed; Lambda re-sends it and the records after it', {
        sequenceNumber,
        error: error as Error,
      });
      throw error;
    }
  };
  return processPartialResponse(event, relayRecord, new BatchProcessor(EventType.DynamoDBStreams), {
    processInParallel: false,
    // A batch whose every record failed is reported like any other: a throw would count as a function error.
    throwOnFullBatchFailure: false,
  });
}

/** Scheduled trigger (and the offline runtime's loop): publish whatever is still pending. */
export async function onSweepSchedule(
  _event?: unknown,
  ports: OutboxRelayPorts = relayPorts(),
): Promise<RelayReport> {
  const report = await sweepPending(ports);
  if (report.failed > 0) {
    logger.warn('Some outbox entries were refused by the bus; they stay pending for the next sweep', {
      ...report,
    });
  }
  return report;
}

export const handler = middy((event: DynamoDBStreamEvent) => onOutboxStream(event)).use(
  injectLambdaContext(logger),
);
export const sweepHandler = middy(() => onSweepSchedule()).use(injectLambdaContext(logger));
