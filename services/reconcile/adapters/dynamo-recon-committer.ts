import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { ReconciliationCompletedV1 } from '../../../contracts/events/catalog.ts';
import type { EventDetail } from '../../../contracts/events/envelope.ts';
import type { ReconInputFileSchema } from '../../../contracts/events/reconciliation-completed.ts';
import { type DayKeys, daySortPrefix } from '../../../lib/file-registry/day-index.ts';
import { type CommitOnceResult, commitOnce } from '../../../lib/outbox/transaction.ts';

type ReconciliationCompletedDetail = EventDetail<typeof ReconciliationCompletedV1>;

/**
 * One committed reconciliation in `files` (`pk RECON#<dataset>#<partner>#<businessDate>`, `sk RUN#<reconRunId>`),
 * listed under its business date in `files-by-day` after the scope's files (`~` sorts after file ids).
 */
export interface ReconRunRecord extends DayKeys {
  pk: string;
  sk: `RUN#${string}`;
  reconRunId: string;
  partner: string;
  dataset: ReconciliationCompletedDetail['data']['dataset'];
  businessDate: string;
  balanced: boolean;
  breaks: number;
  inputs: z.infer<typeof ReconInputFileSchema>[];
  /** `reconcile:<dataset>:<partner>:<businessDate>:<reconRunId>`: one reconciliation per set of facts. */
  idempotencyKey: string;
  /** The ReconciliationCompleted event committed with this item. */
  eventId: string;
  committedAt: string;
}

/** @example reconRunKey(scope, 'recon_…') // { pk: 'RECON#transactions#acme-bank#2026-11-20', sk: 'RUN#recon_…' } */
export const reconRunKey = (
  scope: { dataset: string; partner: string; businessDate: string },
  reconRunId: string,
) => ({
  pk: `RECON#${scope.dataset}#${scope.partner}#${scope.businessDate}`,
  sk: `RUN#${reconRunId}` as const,
});

/** The item a ReconciliationCompleted event is committed with. */
export function reconRunRecordOf(event: ReconciliationCompletedDetail): ReconRunRecord {
  const { data } = event;
  return {
    ...reconRunKey(data, data.reconRunId),
    day: data.businessDate,
    daySort: `${daySortPrefix(data.dataset, data.partner)}~RECON#${data.reconRunId}`,
    reconRunId: data.reconRunId,
    partner: data.partner,
    dataset: data.dataset,
    businessDate: data.businessDate,
    balanced: data.balanced,
    breaks: data.breaks.length,
    inputs: data.inputs.files,
    idempotencyKey: `reconcile:${data.dataset}:${data.partner}:${data.businessDate}:${data.reconRunId}`,
    eventId: event.eventId,
    committedAt: event.occurredAt,
  };
}

/** `committed`, or `already-committed` when the same facts were reconciled before: no second event. */
export type ReconCommitResult = CommitOnceResult;

/**
 * Record the reconciliation and put ReconciliationCompleted in the outbox in ONE `TransactWriteItems`, on
 * condition that no reconciliation of the same facts (`RUN#<reconRunId>`) exists.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function dynamoReconCommitter(doc: DynamoDBDocumentClient, tables: { files: string; outbox: string }) {
  return async (event: ReconciliationCompletedDetail): Promise<ReconCommitResult> => {
    return commitOnce(doc, {
      outboxTable: tables.outbox,
      table: tables.files,
      record: reconRunRecordOf(event),
      event,
    });
  };
}
