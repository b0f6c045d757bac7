import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../../lib/aws/query-all.ts';
import { partNumber } from '../../../lib/parquet/part-keys.ts';
import type { ChunkLedger, RecordedPlan } from '../chunks/chunk-ledger.ts';
import type { ChunkResult } from '../chunks/validate-chunk.ts';

/*
 * In the files table, beside the file's own items (pk FILE#<fileId>):
 *   sk CHUNKS#<runId>               the plan, the run's origin and `done`, the count of recorded results
 *   sk CHUNK#<runId>#<NNNNN>        one chunk's result (counts, totals, part keys, masked trailer)
 */
const planKey = (fileId: string, runId: string) => ({ pk: `FILE#${fileId}`, sk: `CHUNKS#${runId}` });
const resultKey = (fileId: string, runId: string, index: number) => ({
  pk: `FILE#${fileId}`,
  sk: `CHUNK#${runId}#${partNumber(index)}`,
});

/** The chunk ledger on the files table (`chunks/chunk-ledger.ts`). */
export function dynamoChunkLedger(doc: DynamoDBDocumentClient, filesTable: string): ChunkLedger {
  const readPlan = async (fileId: string, runId: string): Promise<RecordedPlan | undefined> => {
    const { Item } = await doc.send(
      new GetCommand({ TableName: filesTable, Key: planKey(fileId, runId), ConsistentRead: true }),
    );
    return Item
      ? { file: Item.file, origin: Item.origin, plan: Item.plan, done: Number(Item.done ?? 0) }
      : undefined;
  };
  return {
    async recordPlan(file, origin, plan) {
      try {
        await doc.send(
          new PutCommand({
            TableName: filesTable,
            Item: { ...planKey(file.fileId, file.runId), file, origin, plan, done: 0 },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
      const recorded = await readPlan(file.fileId, file.runId);
      if (!recorded)
        throw new Error(`The chunk plan of ${file.fileId} run ${file.runId} vanished after its write.`);
      return recorded;
    },

    plan: readPlan,

    async hasResult(fileId, runId, index) {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: filesTable,
          Key: resultKey(fileId, runId, index),
          ConsistentRead: true,
          ProjectionExpression: 'pk',
        }),
      );
      return Item !== undefined;
    },

    async recordResult(fileId, runId, result) {
      try {
        // The result and its count in one transaction: a result is counted exactly when it is recorded.
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: filesTable,
                  Item: { ...resultKey(fileId, runId, result.index), result },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: filesTable,
                  Key: planKey(fileId, runId),
                  UpdateExpression: 'ADD done :one',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ],
          }),
        );
      } catch (error) {
        const alreadyRecorded =
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
        if (!alreadyRecorded) throw error;
      }
      return (await readPlan(fileId, runId))?.done ?? 0;
    },

    async results(fileId, runId) {
      const items = await queryAll(doc, {
        TableName: filesTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': `FILE#${fileId}`, ':run': `CHUNK#${runId}#` },
        ConsistentRead: true,
      });
      return items.map((item) => item.result as ChunkResult);
    },
  };
}
