import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  completeStageItem,
  type FileRecord,
  type StageTotals,
  TERMINAL_STAGES,
} from '../../../lib/file-registry/file-record.ts';
import { FileRegistryStore } from '../../../lib/file-registry/file-registry-store.ts';
import type { PublishableEvent } from '../../../lib/outbox/outbox-item.ts';
import { commitWithEvents } from '../../../lib/outbox/transaction.ts';
import { StageConflictError } from '../errors.ts';

/** One terminal stage change and the event announcing it. */
export interface StageCommit {
  readonly fileId: string;
  readonly runId: string;
  readonly stage: 'VALIDATED' | 'REJECTED';
  readonly counts: NonNullable<FileRecord['counts']>;
  readonly rejection?: NonNullable<FileRecord['rejection']>;
  /** FileValidated's control totals, recorded on the file for reconcile (validated files only). */
  readonly totals?: StageTotals;
  readonly event: PublishableEvent;
}

/** `committed`, or `already-terminal` when this run closed the file before (a redelivery after a crash). */
export type StageCommitResult = 'committed' | 'already-terminal';

/**
 * Close the file's stage and put its event in the outbox in ONE `TransactWriteItems`. When the stage
 * condition fails because this same run already closed the file, the earlier commit stands (no second
 * event); any other refusal is a conflict and is thrown.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function dynamoStageCommitter(doc: DynamoDBDocumentClient, tables: { files: string; outbox: string }) {
  const registry = new FileRegistryStore(doc, tables.files);
  return async (commit: StageCommit): Promise<StageCommitResult> => {
    const item = completeStageItem(tables.files, {
      fileId: commit.fileId,
      runId: commit.runId,
      stage: commit.stage,
      eventId: commit.event.eventId,
      at: commit.event.occurredAt,
      counts: commit.counts,
      rejection: commit.rejection,
      totals: commit.totals,
    });
    // Returns the current item with the cancellation, so the decision below needs no extra read.
    const state = item.Update
      ? [{ Update: { ...item.Update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } }]
      : [item];
    try {
      await commitWithEvents(doc, {
        outboxTable: tables.outbox,
        state,
        events: [commit.event],
        // One token per attempt, as its payload (a fresh event) is per attempt: DynamoDB refuses a reused
        // token with a different payload for 10 minutes (IdempotentParameterMismatchException), which would
        // hide the stage condition that recognises this run's earlier commit. SDK retries reuse it.
        idempotencyToken: commit.event.eventId,
      });
      return 'committed';
    } catch (error) {
      const reason = stageConditionFailure(error);
      if (!reason) throw error;
      const found = reason.item ? stageOf(reason.item) : await registry.get(commit.fileId);
      if (
        found &&
        found.runId === commit.runId &&
        TERMINAL_STAGES.includes(found.stage as FileRecord['stage'])
      ) {
        return 'already-terminal';
      }
      throw new StageConflictError(
        commit.fileId,
        commit.runId,
        found ? { stage: found.stage, runId: found.runId } : null,
        { cause: error },
      );
    }
  };
}

/** The stage action (index 0) failed its condition, and nothing else went wrong. */
function stageConditionFailure(
  error: unknown,
): { item: Record<string, AttributeValue> | undefined } | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  if (reasons[0]?.Code !== 'ConditionalCheckFailed') return undefined;
  if (reasons.slice(1).some((reason) => reason.Code && reason.Code !== 'None')) return undefined;
  return { item: reasons[0].Item };
}

function stageOf(item: Record<string, AttributeValue>): {
  stage: string | undefined;
  runId: string | undefined;
} {
  return { stage: item.stage?.S, runId: item.runId?.S };
}
