import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RecordsDeduplicatedDetail } from '../../../contracts/events/records-deduplicated.ts';
import { addToDedupLedger } from '../../../lib/file-registry/dedup-ledger.ts';
import { dedupRunRecordOf } from '../../../lib/file-registry/dedup-run-record.ts';
import { fileKey } from '../../../lib/file-registry/file-record.ts';
import { commitWithEvents, type TransactItem } from '../../../lib/outbox/transaction.ts';
import { DedupCommitConflictError } from '../errors.ts';

/** One file's dedup result: the RecordsDeduplicated event, whose payload the `DEDUP#<runId>` item records. */
export interface DedupCommit {
  readonly event: RecordsDeduplicatedDetail;
}

/** `committed`, or `already-committed` when this run committed before (a redelivery after a crash). */
export type DedupCommitResult = 'committed' | 'already-committed';

/**
 * Record the run's dedup (a `DedupRunRecord`: counts, totals, unique parts, listed under its business date in
 * `files-by-day`), add it to its partner and date's ledger (read strongly consistent by settlement-match, which the
 * index may not be yet) and put RecordsDeduplicated in the outbox in ONE `TransactWriteItems`, on condition that
 * (a) this run has not recorded it before and (b) the file was VALIDATED by this same run. When (a) fails, the
 * earlier commit stands and no second event is written; when only (b) fails the event is stale: a conflict.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function dynamoDedupCommitter(doc: DynamoDBDocumentClient, tables: { files: string; outbox: string }) {
  return async ({ event }: DedupCommit): Promise<DedupCommitResult> => {
    const run = dedupRunRecordOf(event);
    const state: TransactItem[] = [
      {
        Put: {
          TableName: tables.files,
          Item: run,
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        ConditionCheck: {
          TableName: tables.files,
          Key: fileKey(run.fileId),
          ConditionExpression: 'stage = :validated AND runId = :runId',
          ExpressionAttributeValues: { ':validated': 'VALIDATED', ':runId': run.runId },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      addToDedupLedger(tables.files, run),
    ];
    try {
      await commitWithEvents(doc, {
        outboxTable: tables.outbox,
        state,
        events: [event],
        // One token per attempt, as its payload (a fresh event) is: a token reused with another payload is
        // refused for 10 minutes (IdempotentParameterMismatchException), hiding the condition that recognises
        // this run's earlier commit. SDK retries of this attempt reuse it.
        idempotencyToken: event.eventId,
      });
      return 'committed';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
      if (codes.some((code) => code !== 'None' && code !== 'ConditionalCheckFailed')) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return 'already-committed';
      if (codes[1] === 'ConditionalCheckFailed') {
        const item = error.CancellationReasons?.[1]?.Item;
        throw new DedupCommitConflictError(run.fileId, run.runId, item ? stageOf(item) : null, {
          cause: error,
        });
      }
      throw error;
    }
  };
}

function stageOf(item: Record<string, AttributeValue>): { stage?: string; runId?: string } {
  return { stage: item.stage?.S, runId: item.runId?.S };
}
