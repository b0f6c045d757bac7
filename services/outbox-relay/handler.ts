import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import type { OutboxItem } from '../../lib/outbox/outbox-item.ts';
import type { RelayReport } from '../../lib/outbox/relay.ts';
import { relayStreamBatch, sweepPending } from './outbox-relay.ts';
import type { OutboxRelayPorts } from './ports.ts';
import { relayPorts } from './side-effects.ts';

const logger = serviceLogger('outbox-relay');

function logReport(report: RelayReport): RelayReport {
  if (report.failed > 0) {
    logger.warn('Some outbox entries were refused by the bus; they stay pending for the sweep', {
      ...report,
    });
  }
  return report;
}

/** Stream trigger: the outbox table's NEW_IMAGE records. Failures stay pending; nothing is thrown. */
export async function onOutboxStream(
  event: DynamoDBStreamEvent,
  ports: OutboxRelayPorts = relayPorts(),
): Promise<RelayReport> {
  const items = event.Records.flatMap((record) =>
    record.dynamodb?.NewImage
      ? [unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>) as OutboxItem]
      : [],
  );
  return logReport(await relayStreamBatch(items, ports));
}

/** Scheduled trigger (and the offline runtime's loop): publish whatever is still pending. */
export async function onSweepSchedule(
  _event?: unknown,
  ports: OutboxRelayPorts = relayPorts(),
): Promise<RelayReport> {
  return logReport(await sweepPending(ports));
}

export const handler = middy((event: DynamoDBStreamEvent) => onOutboxStream(event)).use(
  injectLambdaContext(logger),
);
export const sweepHandler = middy(() => onSweepSchedule()).use(injectLambdaContext(logger));
