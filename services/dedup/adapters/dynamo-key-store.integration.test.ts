import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../runtime/testing/helpers.ts';
import { type Candidate, classifyAcrossFiles } from '../cross-file.ts';
import type { DedupKeyStore, KeyRecord } from '../ports.ts';
import { dynamoKeyStore } from './dynamo-key-store.ts';

const NOW = 1_800_000_000;

const record = (
  id: string,
  fileId: string,
  fingerprint = 'a'.repeat(64),
  expiresAt = NOW + 3600,
): KeyRecord => ({
  key: `KEY#transactions#acme-bank#${id}`,
  fingerprint,
  fingerprintVersion: 1,
  owner: { fileId, runId: `run_${fileId}`, rowNumber: 2, businessDate: '2026-11-20', sha256: 'b'.repeat(64) },
  expiresAt,
});

const candidate = (id: string, fileId: string): Candidate => ({
  key: `KEY#transactions#acme-bank#${id}`,
  fingerprint: 'a'.repeat(64),
  row: record(id, fileId).owner,
});

describe('dynamoKeyStore on DynamoDB Local', () => {
  let stack: TestStack;
  let store: DedupKeyStore;

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'dedup-keys' });
    const doc = DynamoDBDocumentClient.from(stack.clients.dynamodb);
    store = dynamoKeyStore(doc, stack.resources.tables['dedup-keys']!.name);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('writes nothing when one key of the transaction is taken, and returns the record that won', async () => {
    // Prepare
    expect(await store.claim([record('r-1', 'f_a')], NOW)).toEqual({ kind: 'claimed' });

    // Act
    const outcome = await store.claim([record('r-2', 'f_b'), record('r-1', 'f_b')], NOW);

    // Assess
    expect(outcome).toEqual({
      kind: 'lost',
      lost: new Map([[record('r-1', 'f_a').key, record('r-1', 'f_a')]]),
    });
    const stored = await store.getKeys([record('r-1', 'f_a').key, record('r-2', 'f_b').key]);
    expect([...stored.values()]).toEqual([record('r-1', 'f_a')]);
  });

  it('overwrites a record whose expiry has passed but TTL has not yet deleted', async () => {
    // Prepare
    await store.claim([record('e-1', 'f_a', 'a'.repeat(64), NOW - 1)], NOW - 10);

    // Act
    const outcome = await store.claim([record('e-1', 'f_b')], NOW);

    // Assess
    expect(outcome).toEqual({ kind: 'claimed' });
    expect(
      (await store.getKeys([record('e-1', 'f_b').key])).get(record('e-1', 'f_b').key)?.owner.fileId,
    ).toBe('f_b');
  });

  it('gives every key to exactly one of two files racing for the same 100 keys', async () => {
    // Prepare
    const ids = Array.from({ length: 100 }, (_, index) => `race-${index}`);
    const context = (fileId: string) => ({
      fileId,
      fingerprintVersion: 1,
      nowSeconds: NOW,
      expiresAt: NOW + 3600,
    });

    // Act
    const [x, y] = await Promise.all([
      classifyAcrossFiles(
        ids.map((id) => candidate(id, 'f_x')),
        store,
        context('f_x'),
      ),
      classifyAcrossFiles(
        ids.map((id) => candidate(id, 'f_y')),
        store,
        context('f_y'),
      ),
    ]);

    // Assess
    const stored = await store.getKeys(ids.map((id) => candidate(id, 'f_x').key));
    ids.forEach((id, index) => {
      const owner = stored.get(candidate(id, 'f_x').key)?.owner.fileId;
      const [mine, theirs] = owner === 'f_x' ? [x[index], y[index]] : [y[index], x[index]];
      expect(mine).toEqual({ kind: 'unique', claimed: true });
      expect(theirs?.kind).toBe('duplicate');
    });
  });
});
