import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DatasetGates, gatesFor } from '../../../config/ready-gates.ts';
import { queryAll } from '../../../lib/aws/query-all.ts';
import type { FileRegistryStore } from '../../../lib/file-registry/file-registry-store.ts';
import { readyItemPk } from '../../ready-publisher/adapters/dynamo-ready-committer.ts';
import { registryRuns } from '../../ready-publisher/adapters/registry-runs.ts';
import { dayFacts } from '../../ready-publisher/publish-day.ts';
import type { VerdictItem, VerdictPorts } from '../ports.ts';

/**
 * ready-publisher's verdicts as a rerun reports them. The ready run id of the current facts is derived with
 * ready-publisher's own `dayFacts`, so "the verdict on the facts after the rerun" is the item ready-publisher
 * committed under exactly that id.
 */
export function readyVerdicts(
  doc: DynamoDBDocumentClient,
  filesTable: string,
  registry: Pick<FileRegistryStore, 'listDayConsistent'>,
  gates: readonly DatasetGates[],
): VerdictPorts {
  const runs = registryRuns(doc, filesTable);
  return {
    async currentReadyRunId(scope) {
      if (!gatesFor(scope.dataset, gates)) return null;
      return (
        await dayFacts(
          scope,
          { listDay: (date, filter) => registry.listDayConsistent(date, filter), ...runs },
          gates,
        )
      ).runId;
    },

    async verdictItems(scope) {
      const items = await queryAll(doc, {
        TableName: filesTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': readyItemPk(scope) },
        ConsistentRead: true,
      });
      return items.map(
        (item): VerdictItem => ({
          runId: String(item.runId),
          verdict: item.verdict === 'READY' ? 'READY' : 'BLOCKED',
          committedAt: String(item.committedAt),
          contentHash: typeof item.contentHash === 'string' ? item.contentHash : null,
          failedGates: Array.isArray(item.failedGates) ? item.failedGates.map(String) : [],
        }),
      );
    },
  };
}
