import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  DatasetBlockedV1,
  DatasetReadyV1,
  ReconciliationCompletedV1,
} from '../../contracts/events/catalog.ts';
import type { EventDetail } from '../../contracts/events/envelope.ts';
import {
  SETTLEMENTS_MATCHED_VERSIONS,
  type SettlementsMatchedDetail,
  SettlementsMatchedV1,
} from '../../contracts/events/settlements-matched.ts';
import { perEnvironment } from '../../lib/aws/clients.ts';
import {
  parseEventBridgeBody,
  parseEventRecord,
  parseEventRecordOf,
  UnexpectedEventError,
} from '../../lib/consumer/eventbridge-record.ts';
import { type ConsumerDefinition, createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { publishDatapoint } from '../../lib/metrics/business-metrics.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import type { ReadyScope } from './ports.ts';
import { type PublishOutcome, publishDay } from './publish-day.ts';
import { type ReadyDeps, sideEffects } from './side-effects.ts';

/** The events that change a day's readiness facts: a reconciliation, or a settlement-match run (v1 or v2). */
export type ReadyTrigger = EventDetail<typeof ReconciliationCompletedV1> | SettlementsMatchedDetail;

/** What one record's processing returns (stored by Powertools idempotency, so JSON only). */
export type ReadyResult = {
  /** `<dataset>:<businessDate>`. */
  scope: string;
  runId: string;
  verdict: 'ready' | 'blocked' | 'already-published' | 'deferred' | 'building';
  /** False when the same facts were published or blocked before: no event. */
  committed: boolean;
  goldObjectsWritten: number;
  /** Expected partner files not landed in time (failed `file-on-time:` gates) in this verdict. */
  filesMissingByCutoff: number;
};

/**
 * Parse a record as ReconciliationCompleted v1 or SettlementsMatched v1 or v2, chosen by its detail-type and then
 * its version (only the match run's date is read, the same in both).
 */
export function parseTrigger(record: SQSRecord): ReadyTrigger {
  const type = parseEventBridgeBody(record)['detail-type'];
  if (type === ReconciliationCompletedV1.type) return parseEventRecord(record, ReconciliationCompletedV1);
  if (type === SettlementsMatchedV1.type) return parseEventRecordOf(record, SETTLEMENTS_MATCHED_VERSIONS);
  throw new UnexpectedEventError(record.messageId, `detail-type ${type} is not a ready-publisher trigger`);
}

/** The day a trigger concerns: the reconciled dataset and date, or the transactions of a match run's asOf date. */
export function scopeOf(trigger: ReadyTrigger): ReadyScope {
  return trigger.type === ReconciliationCompletedV1.type
    ? { dataset: trigger.data.dataset, businessDate: trigger.data.businessDate }
    : { dataset: 'transactions', businessDate: trigger.data.businessDate };
}

/**
 * Evaluate the trigger's day and commit the verdict.
 *
 * Primary course:
 * 1. Evaluate the day's gates as of the trigger's time; when ready, write gold (parts, then marker), or above the
 *    unit size send gold units (ready-publisher-gold-unit commits when the last is built).
 * 2. Record the verdict and put DatasetReady or DatasetBlocked in the outbox in one transaction; the same facts
 *    (same run id) evaluated again publish nothing.
 */
export async function processTrigger(
  trigger: ReadyTrigger,
  deps: ReadyDeps = sideEffects().ready,
): Promise<ReadyResult> {
  const scope = scopeOf(trigger);
  const fanOut = deps.units ? { units: deps.units, causationId: trigger.eventId } : undefined;
  const outcome = await publishDay(scope, new Date(trigger.occurredAt), deps.ports, deps.config, fanOut);
  return commitOutcome(scope, outcome, trigger.eventId, deps);
}

/**
 * Record an evaluation's verdict and put DatasetReady or DatasetBlocked in the outbox in one transaction (once per
 * run id); an outcome without a verdict (deferred, building, already published) commits nothing.
 */
export async function commitOutcome(
  scope: ReadyScope,
  outcome: PublishOutcome,
  causationId: string,
  deps: Pick<ReadyDeps, 'commit'>,
): Promise<ReadyResult> {
  const base = { scope: `${scope.dataset}:${scope.businessDate}`, runId: outcome.runId };
  if (!outcome.verdict)
    return {
      ...base,
      verdict: outcome.kind === 'ready' || outcome.kind === 'blocked' ? 'already-published' : outcome.kind,
      committed: false,
      goldObjectsWritten: 0,
      filesMissingByCutoff: 0,
    };
  const origin = {
    producer: 'ready-publisher',
    correlationId: base.scope,
    causationId,
    runId: outcome.runId,
  };
  const event =
    outcome.verdict.kind === 'ready'
      ? createEvent(DatasetReadyV1, origin, outcome.verdict.payload)
      : createEvent(DatasetBlockedV1, origin, outcome.verdict.payload);
  const result = await deps.commit(event);
  return {
    ...base,
    verdict: outcome.verdict.kind,
    committed: result === 'committed',
    goldObjectsWritten: outcome.goldObjectsWritten,
    filesMissingByCutoff:
      outcome.verdict.kind === 'blocked'
        ? outcome.verdict.payload.failedGates.filter((gate) => gate.name.startsWith('file-on-time:')).length
        : 0,
  };
}

/**
 * ready-publisher as an idempotent SQS consumer, keyed on the triggering event; the verdict item's condition
 * (`RUN#<runId>` / `BLOCKED#<runId>`) makes the same facts announce once whatever triggered them.
 */
export function readyPublisherConsumer(
  deps: () => ReadyDeps = () => sideEffects().ready,
  metrics: (() => Metrics | undefined) | undefined = () => sideEffects().metrics,
): ConsumerDefinition<ReadyTrigger, ReadyResult> {
  return {
    parse: (record) => Object.freeze(parseTrigger(record)),
    idempotencyKey: (trigger) => {
      const scope = scopeOf(trigger);
      return `${scope.dataset}:${scope.businessDate}:ready-publisher:${trigger.eventId}`;
    },
    fingerprint: (trigger) => `${trigger.type}:${trigger.runId}`,
    logKeys: (trigger) => ({ correlationId: trigger.correlationId, runId: trigger.runId }),
    process: async (trigger) => {
      const result = await processTrigger(trigger, deps());
      // One datapoint per announced verdict (0 when every expected file was on time): the ExpectedFileMissing alarm.
      if (result.committed) publishDatapoint(metrics?.(), 'ExpectedFileMissing', result.filesMissingByCutoff);
      return result;
    },
  };
}

const consumer = perEnvironment(() => createSqsConsumer(readyPublisherConsumer(), sideEffects().consumer));

/** Lambda entry point (ReconciliationCompleted | SettlementsMatched → EventBridge → SQS). Built on first use. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
