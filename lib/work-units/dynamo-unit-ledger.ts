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

/**
 * Sort-key prefixes of one kind of work, e.g. `{ work: 'CHUNKS', result: 'CHUNK' }`, and the partition key of a
 * scope (default `FILE#<fileId>`: a file's units sit beside the file's own items).
 */
export interface UnitItemNames {
  readonly work: string;
  readonly result: string;
  readonly partition?: (scope: string) => string;
}

/**
 * A unit ledger on the files table (`unit-ledger.ts`), beside the scope's own items (pk `partition(scope)`):
 *   sk <work>#<runId>               the recorded work and `done`, the count of recorded results
 *   sk <result>#<runId>#<NNNNN>     one unit's result
 */
export function dynamoUnitLedger<Work, Result extends { readonly index: number }>(
  doc: DynamoDBDocumentClient,
  filesTable: string,
  names: UnitItemNames,
): UnitLedger<Work, Result> {
  const partition = names.partition ?? ((fileId: string) => `FILE#${fileId}`);
  const workKey = (scope: string, runId: string) => ({ pk: partition(scope), sk: `${names.work}#${runId}` });
  const resultKey = (scope: string, runId: string, index: number) => ({
    pk: partition(scope),
    sk: `${names.result}#${runId}#${partNumber(index)}`,
  });
  const readWork = async (scope: string, runId: string): Promise<RecordedWork<Work> | undefined> => {
    const { Item } = await doc.send(
      new GetCommand({ TableName: filesTable, Key: workKey(scope, runId), ConsistentRead: true }),
    );
    return Item ? { work: Item.work as Work, done: Number(Item.done ?? 0) } : undefined;
  };
  return {
    async recordWork(scope, runId, work) {
      try {
        await doc.send(
          new PutCommand({
            TableName: filesTable,
            Item: { ...workKey(scope, runId), work, done: 0 },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
      const recorded = await readWork(scope, runId);
      if (!recorded)
        throw new Error(`The ${names.work} item of ${scope} run ${runId} vanished after its write.`);
      return recorded;
    },

    work: readWork,

    async hasResult(scope, runId, index) {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: filesTable,
          Key: resultKey(scope, runId, index),
          ConsistentRead: true,
          ProjectionExpression: 'pk',
        }),
      );
      return Item !== undefined;
    },

    async recordResult(scope, runId, result) {
      try {
        // The result and its count in one transaction: a result is counted exactly when it is recorded.
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: filesTable,
                  Item: { ...resultKey(scope, runId, result.index), result },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: filesTable,
                  Key: workKey(scope, runId),
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
      return (await readWork(scope, runId))?.done ?? 0;
    },

    async results(scope, runId) {
      const items = await queryAll(doc, {
        TableName: filesTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': partition(scope), ':run': `${names.result}#${runId}#` },
        ConsistentRead: true,
      });
      return items.map((item) => item.result as Result);
    },
  };
}
