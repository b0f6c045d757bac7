import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../runtime/testing/helpers.ts';
import type { HistoryManifests, HistoryScope } from '../ports.ts';
import { dynamoHistoryManifests } from './dynamo-history-manifests.ts';

const scope = (bucket: string): HistoryScope => ({ dataset: 'transactions', partner: 'acme-bank', bucket });
const segment = (name: string) => ({ key: `history/dedup/${name}.parquet`, rows: 1 });

describe('dedup-history manifests on DynamoDB Local', () => {
  let stack: TestStack;
  let manifests: HistoryManifests;

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'history-manifests' });
    const doc = DynamoDBDocumentClient.from(stack.clients.dynamodb);
    manifests = dynamoHistoryManifests(doc, stack.resources.tables['dedup-history']?.name ?? '');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reads many buckets in order, swaps each on its own version, and refuses only the stale one', async () => {
    // Prepare: buckets 0 and 1 at version 1.
    expect(
      await manifests.swap([
        { scope: scope('0'), expectedVersion: 0, segments: [segment('a')] },
        { scope: scope('1'), expectedVersion: 0, segments: [segment('b')] },
      ]),
    ).toEqual([true, true]);

    // Act: bucket 0 from its current version, bucket 1 from a stale one, bucket 2 new.
    const taken = await manifests.swap([
      { scope: scope('0'), expectedVersion: 1, segments: [segment('a'), segment('c')] },
      { scope: scope('1'), expectedVersion: 0, segments: [segment('d')] },
      { scope: scope('2'), expectedVersion: 0, segments: [segment('e')] },
    ]);

    // Assess
    expect(taken).toEqual([true, false, true]);
    expect(await manifests.read([scope('2'), scope('3'), scope('1'), scope('0')])).toEqual([
      { version: 1, segments: [segment('e')] },
      { version: 0, segments: [] },
      { version: 1, segments: [segment('b')] },
      { version: 2, segments: [segment('a'), segment('c')] },
    ]);
  });
});
