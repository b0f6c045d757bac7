import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DedupCounts } from '../../../contracts/events/records-deduplicated.ts';
import { fileKey } from '../../../lib/file-registry/file-record.ts';
import type { PublishableEvent } from '../../../lib/outbox/outbox-item.ts';
import { commitWithEvents, type TransactItem } from '../../../lib/outbox/transaction.ts';
import { DedupCommitConflictError } from '../errors.ts';

/** One file's dedup result and the event announcing it. */
export interface DedupCommit {
  readonly fileId: string;
  readonly runId: string;
  readonly counts: DedupCounts;
  readonly event: PublishableEvent;
}

/** `committed`, or `already-committed` when this run committed before (a redelivery after a crash). */
export type DedupCommitResult = 'committed' | 'already-committed';

/**
 * Key of the item recording a run's dedup in the `files` table, beside the file's registry row. A separate
 * item, not a new stage: the registry's LANDED → VALIDATED | REJECTED machine stays as it is.
 * @example dedupRunKey('f_…', 'run_…') // { pk: 'FILE#f_…', sk: 'DEDUP#run_…' }
 */
export const dedupRunKey = (fileId: string, runId: string) => ({
  pk: `FILE#${fileId}`,
  sk: `DEDUP#${runId}`,
});

/**
 * Record the run's dedup and put RecordsDeduplicated in the outbox in ONE `TransactWriteItems`, on condition
 * that (a) this run has not recorded it before and (b) the file was VALIDATED by this same run. When (a) fails,
 * the earlier commit stands and no second event is written; when only (b) fails the event is stale: a conflict.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function dynamoDedupCommitter(doc: DynamoDBDocumentClient, tables: { files: string; outbox: string }) {
  return async (commit: DedupCommit): Promise<DedupCommitResult> => {
    const state: TransactItem[] = [
      {
        Put: {
          TableName: tables.files,
          Item: {
            ...dedupRunKey(commit.fileId, commit.runId),
            fileId: commit.fileId,
            runId: commit.runId,
            counts: commit.counts,
            eventId: commit.event.eventId,
            committedAt: commit.event.occurredAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        ConditionCheck: {
          TableName: tables.files,
          Key: fileKey(commit.fileId),
          ConditionExpression: 'stage = :validated AND runId = :runId',
          ExpressionAttributeValues: { ':validated': 'VALIDATED', ':runId': commit.runId },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ];
    try {
      await commitWithEvents(doc, {
        outboxTable: tables.outbox,
        state,
        events: [commit.event],
        // One token per attempt, as its payload (a fresh event) is: a token reused with another payload is
        // refused for 10 minutes (IdempotentParameterMismatchException), hiding the condition that recognises
        // this run's earlier commit. SDK retries of this attempt reuse it.
        idempotencyToken: commit.event.eventId,
      });
      return 'committed';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
      if (codes.some((code) => code !== 'None' && code !== 'ConditionalCheckFailed')) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return 'already-committed';
      if (codes[1] === 'ConditionalCheckFailed') {
        const item = error.CancellationReasons?.[1]?.Item;
        throw new DedupCommitConflictError(commit.fileId, commit.runId, item ? stageOf(item) : null, {
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
