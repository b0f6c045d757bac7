import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../runtime/testing/helpers.ts';
import type { RerunPorts } from '../ports.ts';
import { s3RawSnapshots } from './s3-raw-snapshots.ts';

const KEY = 'raw/source=acme-bank/dataset=transactions/dt=2026-11-19/file_id=f_1/acme.csv';

describe('s3RawSnapshots on fauxqs S3', () => {
  let stack: TestStack;
  let snapshots: Pick<RerunPorts, 'rawExists'>;
  let bucket: string;

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'raw-snapshots' });
    bucket = stack.resources.buckets.raw!.name;
    snapshots = s3RawSnapshots(stack.clients.s3);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('finds the exact key, not a longer key it prefixes nor a shorter one', async () => {
    // Prepare: only a longer sibling of KEY exists.
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${KEY}.bak`, Body: 'x' }));

    // Act
    const beforePut = await snapshots.rawExists({ bucket, key: KEY });
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: 'a,b\n' }));
    const afterPut = await snapshots.rawExists({ bucket, key: KEY });
    const shorter = await snapshots.rawExists({ bucket, key: KEY.slice(0, -4) });

    // Assess
    expect(beforePut).toBe(false);
    expect(afterPut).toBe(true);
    expect(shorter).toBe(false);
  });

  it('answers false once the snapshot is deleted (restricted copies are deletable)', async () => {
    // Prepare
    const key = 'restricted/acme-bank/f_2/acme.csv';
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'a,b\n' }));
    await stack.clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));

    // Act
    const exists = await snapshots.rawExists({ bucket, key });

    // Assess
    expect(exists).toBe(false);
  });
});
