import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditions } from '../../../lib/aws/transaction-cancellation.ts';
import { manifestKey } from '../key-history/segment-keys.ts';
import type { HistoryManifest, HistoryManifests, HistorySegment, ManifestSwap } from '../ports.ts';

/** A `dedup-history` item: one bucket's current segment list and its version. */
interface ManifestItem {
  pk: string;
  version: number;
  segments: HistorySegment[];
  updatedAt: string;
}

/** DynamoDB's limits: 100 keys per BatchGetItem, 100 actions per TransactWriteItems. */
const BATCH = 100;
/** Rounds of unprocessed keys (throttling) before a read gives up; the record is then retried. */
const READ_ROUNDS = 8;

const manifestOf = (item: ManifestItem | undefined): HistoryManifest =>
  item
    ? { version: item.version, segments: item.segments.map(({ key, rows }) => ({ key, rows })) }
    : { version: 0, segments: [] };

/**
 * The `dedup-history` table: one item per history bucket. A file's buckets are read in one consistent
 * BatchGetItem and swapped in one TransactWriteItems of conditional puts on each bucket's version; when some
 * conditions fail, nothing was written, so those buckets are refused and the others go again in a new
 * transaction. An item holds up to ~2,000 segment entries within DynamoDB's 400 KB; compaction keeps a bucket far
 * below that.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function dynamoHistoryManifests(
  doc: DynamoDBDocumentClient,
  table: string,
  now: () => Date = () => new Date(),
): HistoryManifests {
  return {
    async read(scopes) {
      const found = new Map<string, ManifestItem>();
      const keys = [...new Set(scopes.map(manifestKey))].map((pk) => ({ pk }));
      for (let start = 0; start < keys.length; start += BATCH) {
        let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> = {
          [table]: { Keys: keys.slice(start, start + BATCH), ConsistentRead: true },
        };
        for (let round = 1; Object.keys(request).length > 0; round += 1) {
          if (round > READ_ROUNDS)
            throw new Error(
              `DynamoDB left ${request[table]?.Keys.length} dedup-history keys unprocessed ${READ_ROUNDS} times (throttling); the record is retried.`,
            );
          const result = await doc.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of (result.Responses?.[table] ?? []) as ManifestItem[]) found.set(item.pk, item);
          request = (result.UnprocessedKeys ?? {}) as typeof request;
          if (Object.keys(request).length > 0)
            await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
        }
      }
      return scopes.map((scope) => manifestOf(found.get(manifestKey(scope))));
    },

    async swap(swaps) {
      const taken = swaps.map(() => false);
      for (let start = 0; start < swaps.length; start += BATCH) {
        let pending = swaps.slice(start, start + BATCH).map((_, offset) => start + offset);
        // Each round either writes every pending swap or drops at least one refused swap from it, so it ends.
        while (pending.length > 0) {
          const refused = await transact(
            doc,
            table,
            pending.map((index) => swaps[index] as ManifestSwap),
            now,
          );
          if (refused.length === 0) for (const index of pending) taken[index] = true;
          pending = pending.filter((_, position) => refused.length > 0 && !refused.includes(position));
        }
      }
      return taken;
    },
  };
}

/**
 * One transaction of conditional puts; the positions of the swaps whose condition failed (none were written
 * then), or [] when all were written. A conflict with another transaction on the same items refuses them all:
 * the caller reads again and classifies against what is there.
 */
async function transact(
  doc: DynamoDBDocumentClient,
  table: string,
  swaps: readonly ManifestSwap[],
  now: () => Date,
): Promise<number[]> {
  const updatedAt = now().toISOString();
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: swaps.map(({ scope, expectedVersion, segments }) => ({
          Put: {
            TableName: table,
            Item: {
              pk: manifestKey(scope),
              version: expectedVersion + 1,
              segments: segments.map(({ key, rows }) => ({ key, rows })),
              updatedAt,
            } satisfies ManifestItem,
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'version = :expected',
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                }),
          },
        })),
      }),
    );
    return [];
  } catch (error) {
    const failed = failedConditions(error);
    if (failed) return failed;
    const conflict =
      error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
    if (conflict) return swaps.map((_, position) => position);
    throw error;
  }
}
