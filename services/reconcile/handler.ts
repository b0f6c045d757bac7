import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  FileRejectedV1,
  ReconciliationCompletedV1,
  RecordsDeduplicatedV1,
} from '../../contracts/events/catalog.ts';
import type { EventDetail } from '../../contracts/events/envelope.ts';
import { DatasetNameSchema } from '../../contracts/events/file-landed.ts';
import {
  RECORDS_DEDUPLICATED_VERSIONS,
  type RecordsDeduplicatedDetail,
} from '../../contracts/events/records-deduplicated.ts';
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
import { reconcileInputOf } from './day-facts.ts';
import type { ReconcileScope } from './ports.ts';
import { reconcile } from './reconcile.ts';
import { type ReconcileDeps, sideEffects } from './side-effects.ts';

/** The event that makes a scope's facts change: a file deduplicated, or a file rejected. */
export type ReconcileTrigger = RecordsDeduplicatedDetail | EventDetail<typeof FileRejectedV1>;

/** What one record's processing returns (stored by Powertools idempotency, so JSON only). */
export type ReconcileResult = {
  /** `<dataset>:<partner>:<businessDate>`; null when the trigger names no registered file (refused at landing). */
  scope: string | null;
  reconRunId: string | null;
  balanced: boolean | null;
  breaks: number;
  /** False when the same facts were reconciled before (or nothing to reconcile): no event. */
  committed: boolean;
};

/** Parse a record as RecordsDeduplicated (v1 or v2, by its version) or FileRejected v1, chosen by its detail-type. */
export function parseTrigger(record: SQSRecord): ReconcileTrigger {
  const type = parseEventBridgeBody(record)['detail-type'];
  if (type === RecordsDeduplicatedV1.type) return parseEventRecordOf(record, RECORDS_DEDUPLICATED_VERSIONS);
  if (type === FileRejectedV1.type) return parseEventRecord(record, FileRejectedV1);
  throw new UnexpectedEventError(record.messageId, `detail-type ${type} is not a reconcile trigger`);
}

/** The scope a trigger touches; null for a FileRejected refused before registration (no file, no scope). */
export function scopeOf(trigger: ReconcileTrigger): ReconcileScope | null {
  const { fileId, partner, dataset, businessDate } = trigger.data;
  const known = DatasetNameSchema.safeParse(dataset);
  if (fileId === null || partner === null || businessDate === null || !known.success) return null;
  return { partner, dataset: known.data, businessDate };
}

/**
 * Reconcile the trigger's scope and commit the result.
 *
 * Primary course:
 * 1. Skip a trigger with no scope (nothing was registered, so nothing can be reconciled).
 * 2. Read the scope's file records and dedup runs of the day, and map them to the domain's input.
 * 3. Reconcile (pure), then record it and put ReconciliationCompleted in the outbox in one transaction; the
 *    same facts reconciled again (a redelivery, a second trigger) are recognised and publish nothing.
 */
export async function processTrigger(
  trigger: ReconcileTrigger,
  deps: ReconcileDeps = sideEffects().reconcile,
): Promise<ReconcileResult> {
  const scope = scopeOf(trigger);
  if (!scope) return { scope: null, reconRunId: null, balanced: null, breaks: 0, committed: false };
  const listing = await deps.ports.listDay(scope.businessDate, {
    dataset: scope.dataset,
    partner: scope.partner,
  });
  const input = reconcileInputOf(scope, listing);
  const payload = reconcile(input);
  const event = createEvent(
    ReconciliationCompletedV1,
    {
      producer: 'reconcile',
      correlationId: `${scope.dataset}:${scope.partner}:${scope.businessDate}`,
      causationId: trigger.eventId,
      runId: input.reconRunId,
    },
    payload,
  );
  const result = await deps.commit(event);
  return {
    scope: event.correlationId,
    reconRunId: input.reconRunId,
    balanced: payload.balanced,
    breaks: payload.breaks.length,
    committed: result === 'committed',
  };
}

/**
 * reconcile as an idempotent SQS consumer. The key is the triggering event (the reconRunId is only known once
 * the day is read); the reconciliation item's `RUN#<reconRunId>` condition makes the same facts commit once.
 */
export function reconcileConsumer(
  deps: () => ReconcileDeps = () => sideEffects().reconcile,
  metrics: (() => Metrics | undefined) | undefined = () => sideEffects().metrics,
): ConsumerDefinition<ReconcileTrigger, ReconcileResult> {
  return {
    parse: (record) => Object.freeze(parseTrigger(record)),
    idempotencyKey: (trigger) =>
      `${trigger.data.dataset}:${trigger.data.partner}:${trigger.data.businessDate}:reconcile:${trigger.eventId}`,
    fingerprint: (trigger) => `${trigger.type}:${trigger.data.fileId}:${trigger.runId}`,
    logKeys: (trigger) => ({
      correlationId: trigger.correlationId,
      runId: trigger.runId,
      fileId: trigger.data.fileId ?? 'none',
    }),
    process: async (trigger) => {
      const result = await processTrigger(trigger, deps());
      // One datapoint per published reconciliation (0 when balanced), for the ReconciliationBreaks alarm.
      if (result.committed) publishDatapoint(metrics?.(), 'ReconciliationBreaks', result.breaks);
      return result;
    },
  };
}

const consumer = perEnvironment(() => createSqsConsumer(reconcileConsumer(), sideEffects().consumer));

/** Lambda entry point (RecordsDeduplicated | FileRejected → EventBridge → SQS). Built on the first invocation. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
