import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../../lib/aws/query-all.ts';
import type { MatchRun, ReadyScope, ReconRun } from '../ports.ts';
import { readyItemPk } from './dynamo-ready-committer.ts';

/** Every run item of one partition key, all pages, strongly consistent (the runs a moment ago included). */
const runItems = (doc: DynamoDBDocumentClient, table: string, pk: string) =>
  queryAll(doc, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
    ExpressionAttributeValues: { ':pk': pk, ':run': 'RUN#' },
    ConsistentRead: true,
  });

/** Reconciliation and match runs (written by reconcile and settlement-match in `files`), and publications. */
export function registryRuns(doc: DynamoDBDocumentClient, filesTable: string) {
  return {
    /** `RECON#<dataset>#<partner>#<date>` items (see reconcile's `reconRunKey`). */
    async reconRuns(scope: ReadyScope, partner: string): Promise<ReconRun[]> {
      const items = await runItems(
        doc,
        filesTable,
        `RECON#${scope.dataset}#${partner}#${scope.businessDate}`,
      );
      return items.map((item) => ({
        reconRunId: String(item.reconRunId),
        partner: String(item.partner),
        balanced: item.balanced === true,
        breaks: Number(item.breaks),
        inputs: (item.inputs as { fileId: string; dedupRunId: string | null }[]).map((input) => ({
          fileId: input.fileId,
          dedupRunId: input.dedupRunId ?? null,
        })),
        committedAt: String(item.committedAt),
      }));
    },

    /** `MATCH#<partner>#<asOf>` items (see settlement-match's `matchRunKey`). */
    async matchRuns(partner: string, asOf: string): Promise<MatchRun[]> {
      const items = await runItems(doc, filesTable, `MATCH#${partner}#${asOf}`);
      return items.map((item) => ({
        matchRunId: String(item.matchRunId),
        partner: String(item.partner),
        counts: item.counts as MatchRun['counts'],
        inputs: ((item.inputs ?? []) as { fileId: string; runId: string }[]).map((input) => ({
          fileId: input.fileId,
          runId: input.runId,
        })),
        committedAt: String(item.committedAt),
      }));
    },

    async isPublished(scope: ReadyScope, runId: string): Promise<boolean> {
      const result = await doc.send(
        new GetCommand({
          TableName: filesTable,
          Key: { pk: readyItemPk(scope), sk: `RUN#${runId}` },
          ConsistentRead: true,
        }),
      );
      return result.Item !== undefined;
    },
  };
}
