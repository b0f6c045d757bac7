import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { manifestKey } from '../key-history/segment-keys.ts';
import type { HistoryManifest, HistoryManifests, HistorySegment } from '../ports.ts';

/** A `dedup-history` item: one scope's current segment list and its version. */
interface ManifestItem {
  pk: string;
  version: number;
  segments: HistorySegment[];
  updatedAt: string;
}

/**
 * The `dedup-history` table: one item per scope, swapped with a conditional put on its version, so of two runs
 * that classified against the same version only one can publish. An item holds up to ~2,000 segment entries
 * within DynamoDB's 400 KB; compaction keeps a history far below that.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
export function dynamoHistoryManifests(
  doc: DynamoDBDocumentClient,
  table: string,
  now: () => Date = () => new Date(),
): HistoryManifests {
  return {
    async read(scope): Promise<HistoryManifest> {
      const result = await doc.send(
        new GetCommand({ TableName: table, Key: { pk: manifestKey(scope) }, ConsistentRead: true }),
      );
      const item = result.Item as ManifestItem | undefined;
      return item
        ? { version: item.version, segments: item.segments.map(({ key, rows }) => ({ key, rows })) }
        : { version: 0, segments: [] };
    },

    async swap(scope, expectedVersion, segments) {
      const item: ManifestItem = {
        pk: manifestKey(scope),
        version: expectedVersion + 1,
        segments: segments.map(({ key, rows }) => ({ key, rows })),
        updatedAt: now().toISOString(),
      };
      try {
        await doc.send(
          new PutCommand({
            TableName: table,
            Item: item,
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'version = :expected',
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
