import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DatasetBlockedV1, DatasetReadyV1 } from '../../../contracts/events/catalog.ts';
import type { EventDetail } from '../../../contracts/events/envelope.ts';
import { type CommitOnceResult, commitOnce } from '../../../lib/outbox/transaction.ts';
import type { ReadyScope } from '../ports.ts';

export type ReadyVerdictEvent = EventDetail<typeof DatasetReadyV1> | EventDetail<typeof DatasetBlockedV1>;

/** `already-committed` when the same facts were published (or blocked) before: no second event. */
export type ReadyCommitResult = CommitOnceResult;

/** @example readyItemPk({ dataset: 'transactions', businessDate: '2026-11-20' }) // 'READY#transactions#2026-11-20' */
export const readyItemPk = (scope: ReadyScope) => `READY#${scope.dataset}#${scope.businessDate}`;

/**
 * The item a verdict is committed with, in `files`: `READY#<dataset>#<date>` / `RUN#<runId>` for a publication,
 * `BLOCKED#<runId>` for a block (the run id hashes the facts, so the same blocked facts are announced once).
 */
export function readyItemOf(event: ReadyVerdictEvent) {
  const { data } = event;
  const ready = event.type === 'DatasetReady';
  const base = {
    pk: readyItemPk(data),
    sk: `${ready ? 'RUN' : 'BLOCKED'}#${data.runId}`,
    dataset: data.dataset,
    businessDate: data.businessDate,
    runId: data.runId,
    verdict: ready ? 'READY' : 'BLOCKED',
    idempotencyKey: `ready-publisher:${data.dataset}:${data.businessDate}:${ready ? 'ready' : 'blocked'}:${data.runId}`,
    eventId: event.eventId,
    committedAt: event.occurredAt,
  };
  return event.type === 'DatasetReady'
    ? {
        ...base,
        contentHash: event.data.contentHash,
        rowCount: event.data.rowCount,
        marker: event.data.marker,
      }
    : { ...base, failedGates: event.data.failedGates.map((gate) => gate.name) };
}

/**
 * Record the verdict and put its event in the outbox in ONE `TransactWriteItems`, on condition that no item of
 * the same verdict and run id exists.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function dynamoReadyCommitter(doc: DynamoDBDocumentClient, tables: { files: string; outbox: string }) {
  return async (event: ReadyVerdictEvent): Promise<ReadyCommitResult> => {
    return commitOnce(doc, {
      outboxTable: tables.outbox,
      table: tables.files,
      record: readyItemOf(event),
      event,
    });
  };
}
