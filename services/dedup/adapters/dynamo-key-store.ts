import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { KeyClaimContentionError } from '../errors.ts';
import { type ClaimOutcome, type DedupKeyStore, type KeyRecord, MAX_KEY_BATCH } from '../ports.ts';

/** A `dedup-keys` item: the key record plus when it was claimed. */
interface KeyItem {
  pk: string;
  fingerprint: string;
  fingerprintVersion: number;
  owner: KeyRecord['owner'];
  expiresAt: number;
  claimedAt: string;
}

/** Cancellation reasons worth another attempt of the same transaction (nothing was written). */
const TRANSIENT = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

export interface KeyStoreOptions {
  /** Attempts for unprocessed BatchGetItem keys and for transiently cancelled claims. */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The `dedup-keys` table: consistent BatchGetItem reads and all-or-nothing conditional claims.
 * A claim puts each key only if it does not exist or its TTL passed (`expiresAt <= now`): TTL deletion runs
 * late, so an expired item can still be read.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function dynamoKeyStore(
  doc: DynamoDBDocumentClient,
  table: string,
  options: KeyStoreOptions = {},
): DedupKeyStore {
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? pause;
  const backoff = (attempt: number) => sleep(Math.min(1_000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
  const now = options.now ?? (() => new Date());

  return {
    async getKeys(keys) {
      if (keys.length > MAX_KEY_BATCH)
        throw new Error(`At most ${MAX_KEY_BATCH} keys per read; got ${keys.length}.`);
      const found = new Map<string, KeyRecord>();
      let wanted: Record<string, unknown>[] = keys.map((pk) => ({ pk }));
      // BatchGetItem may return part of the keys as UnprocessedKeys (throttling, 16 MB): ask again for those.
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
      for (let attempt = 0; wanted.length > 0; attempt += 1) {
        if (attempt >= maxAttempts) throw new KeyClaimContentionError(attempt, ['UnprocessedKeys']);
        if (attempt > 0) await backoff(attempt);
        const result = await doc.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: wanted, ConsistentRead: true } } }),
        );
        for (const item of (result.Responses?.[table] ?? []) as KeyItem[]) found.set(item.pk, recordOf(item));
        wanted = result.UnprocessedKeys?.[table]?.Keys ?? [];
      }
      return found;
    },

    async claim(records, nowSeconds): Promise<ClaimOutcome> {
      if (records.length > MAX_KEY_BATCH)
        throw new Error(`At most ${MAX_KEY_BATCH} claims per transaction; got ${records.length}.`);
      const claimedAt = now().toISOString();
      const codes: string[] = [];
      for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
        if (attempt > 0) await backoff(attempt);
        try {
          await doc.send(
            new TransactWriteCommand({
              TransactItems: records.map((record) => ({
                Put: {
                  TableName: table,
                  Item: itemOf(record, claimedAt),
                  ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
                  ExpressionAttributeValues: { ':now': nowSeconds },
                  // The winner comes back with the cancellation: no read to re-classify a lost race.
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              })),
            }),
          );
          return { kind: 'claimed' };
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const reasons = error.CancellationReasons ?? [];
          const lost = new Map<string, KeyRecord | undefined>();
          reasons.forEach((reason, index) => {
            const record = records[index];
            if (reason.Code === 'ConditionalCheckFailed' && record)
              lost.set(record.key, reason.Item ? recordOf(unmarshallItem(reason.Item)) : undefined);
          });
          if (lost.size > 0) return { kind: 'lost', lost };
          const found = reasons.flatMap((reason) =>
            reason.Code && reason.Code !== 'None' ? [reason.Code] : [],
          );
          if (!found.every((code) => TRANSIENT.has(code))) throw error;
          codes.push(...found);
        }
      }
      throw new KeyClaimContentionError(maxAttempts, [...new Set(codes)]);
    },
  };
}

function itemOf(record: KeyRecord, claimedAt: string): KeyItem {
  return {
    pk: record.key,
    fingerprint: record.fingerprint,
    fingerprintVersion: record.fingerprintVersion,
    owner: record.owner,
    expiresAt: record.expiresAt,
    claimedAt,
  };
}

function unmarshallItem(item: Record<string, AttributeValue>): KeyItem {
  return unmarshall(item) as KeyItem;
}

function recordOf(item: KeyItem): KeyRecord {
  return {
    key: item.pk,
    fingerprint: item.fingerprint,
    fingerprintVersion: Number(item.fingerprintVersion),
    owner: { ...item.owner, rowNumber: Number(item.owner.rowNumber) },
    expiresAt: Number(item.expiresAt),
  };
}
