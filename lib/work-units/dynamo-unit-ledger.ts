import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../aws/query-all.ts';
import { partNumber } from '../parquet/part-keys.ts';
import type { RecordedWork, UnitLedger } from './unit-ledger.ts';

/** Sort-key prefixes of one kind of work, e.g. `{ work: 'CHUNKS', result: 'CHUNK' }`. */
export interface UnitItemNames {
  readonly work: string;
  readonly result: string;
}

/**
 * A unit ledger on the files table (`unit-ledger.ts`), beside the file's own items (pk FILE#<fileId>):
 *   sk <work>#<runId>               the recorded work and `done`, the count of recorded results
 *   sk <result>#<runId>#<NNNNN>     one unit's result
 */
export function dynamoUnitLedger<Work, Result extends { readonly index: number }>(
  doc: DynamoDBDocumentClient,
  filesTable: string,
  names: UnitItemNames,
): UnitLedger<Work, Result> {
  const workKey = (fileId: string, runId: string) => ({ pk: `FILE#${fileId}`, sk: `${names.work}#${runId}` });
  const resultKey = (fileId: string, runId: string, index: number) => ({
    pk: `FILE#${fileId}`,
    sk: `${names.result}#${runId}#${partNumber(index)}`,
  });
  const readWork = async (fileId: string, runId: string): Promise<RecordedWork<Work> | undefined> => {
    const { Item } = await doc.send(
      new GetCommand({ TableName: filesTable, Key: workKey(fileId, runId), ConsistentRead: true }),
    );
    return Item ? { work: Item.work as Work, done: Number(Item.done ?? 0) } : undefined;
  };
  return {
    async recordWork(fileId, runId, work) {
      try {
        await doc.send(
          new PutCommand({
            TableName: filesTable,
            Item: { ...workKey(fileId, runId), work, done: 0 },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
      const recorded = await readWork(fileId, runId);
      if (!recorded)
        throw new Error(`The ${names.work} item of ${fileId} run ${runId} vanished after its write.`);
      return recorded;
    },

    work: readWork,

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
                  Key: workKey(fileId, runId),
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
      return (await readWork(fileId, runId))?.done ?? 0;
    },

    async results(fileId, runId) {
      const items = await queryAll(doc, {
        TableName: filesTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': `FILE#${fileId}`, ':run': `${names.result}#${runId}#` },
        ConsistentRead: true,
      });
      return items.map((item) => item.result as Result);
    },
  };
}
