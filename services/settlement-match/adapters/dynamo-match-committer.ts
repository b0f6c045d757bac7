import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SettlementsMatchedDetail } from '../../../contracts/events/settlements-matched.ts';
import { type CommitOnceResult, commitOnce } from '../../../lib/outbox/transaction.ts';
import { windowScope } from '../units/match-unit-run.ts';

/**
 * One run's SettlementsMatched event (v1 or v2) and what its registry item records beside the event's payload: its
 * `results` as the event carries it, listed or as a manifest ref, so the item stays as small as the event.
 */
export interface MatchCommit {
  readonly event: SettlementsMatchedDetail;
  readonly notSettlingTransactions: number;
}

/** `already-committed` when a run over the same inputs committed before (a redelivery, a second trigger). */
export type MatchCommitResult = CommitOnceResult;

/**
 * Partition of a partner's window in `files`: its runs, and the unit ledger of runs matched in units.
 * @example matchPartition('acme-bank#2026-11-20') // 'MATCH#acme-bank#2026-11-20'
 */
export const matchPartition = (windowScope: string): string => `MATCH#${windowScope}`;

/**
 * Key of a run's item in `files`.
 * @example matchRunKey('acme-bank', '2026-11-20', 'mr_…') // { pk: 'MATCH#acme-bank#2026-11-20', sk: 'RUN#mr_…' }
 */
export const matchRunKey = (partner: string, asOf: string, matchRunId: string) => ({
  pk: matchPartition(windowScope(partner, asOf)),
  sk: `RUN#${matchRunId}`,
});

/**
 * Record the run in `files` (listed under asOf in `files-by-day`, after the partner's transaction files) and put
 * SettlementsMatched in the outbox in ONE `TransactWriteItems`, on condition that no run over the same inputs
 * did: the run id is a hash of the inputs, so an existing item means this snapshot is already announced.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function dynamoMatchCommitter(doc: DynamoDBDocumentClient, tables: { files: string; outbox: string }) {
  return async ({ event, notSettlingTransactions }: MatchCommit): Promise<MatchCommitResult> => {
    const { data } = event;
    const item = {
      ...matchRunKey(data.partner, data.businessDate, data.matchRunId),
      day: data.businessDate,
      daySort: `transactions#${data.partner}#~MATCH#${data.matchRunId}`,
      idempotencyKey: `settlement-match:${data.partner}:${data.businessDate}:${data.matchRunId}`,
      partner: data.partner,
      businessDate: data.businessDate,
      matchRunId: data.matchRunId,
      window: data.window,
      counts: data.counts,
      notSettlingTransactions,
      results: data.results,
      inputs: data.inputs,
      eventId: event.eventId,
      committedAt: event.occurredAt,
    };
    return commitOnce(doc, { outboxTable: tables.outbox, table: tables.files, record: item, event });
  };
}
