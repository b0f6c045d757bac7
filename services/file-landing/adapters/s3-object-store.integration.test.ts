import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClients } from '../../../runtime/clients.ts';
import { startTestStack, type TestStack } from '../../../runtime/testing/helpers.ts';
import { s3ObjectStore } from './s3-object-store.ts';

const MiB = 1024 * 1024;

/** The multipart copy path (files above CopyObject's 5 GiB), with thresholds lowered, on the S3 emulator. */
describe('s3ObjectStore copy in parts', () => {
  let stack: TestStack;
  let landing: string;
  let raw: string;
  const bytes = new Uint8Array(9 * MiB + 123).map((_, index) => (index * 31 + (index >> 12)) % 251);
  const digest = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'copyparts' });
    landing = stack.resources.buckets.landing?.name ?? expect.fail('no landing bucket');
    raw = stack.resources.buckets.raw?.name ?? expect.fail('no raw bucket');
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: landing, Key: 'inbound/big.csv', Body: bytes }),
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const store = () => s3ObjectStore(stack.clients.s3, { multipartAboveBytes: MiB, partBytes: 5 * MiB });

  it('copies every byte of a file above the threshold in parts pinned to its ETag', async () => {
    // Prepare
    const { ETag } = await stack.clients.s3.send(
      new HeadObjectCommand({ Bucket: landing, Key: 'inbound/big.csv' }),
    );
    const source = { bucket: landing, key: 'inbound/big.csv', versionId: null, etag: ETag ?? '' };

    // Act
    await store().copyObject({
      source,
      target: { bucket: raw, key: 'raw/big.csv' },
      expectedSha256: digest(bytes),
    });

    // Assess
    const copied = await stack.clients.s3.send(new GetObjectCommand({ Bucket: raw, Key: 'raw/big.csv' }));
    const body = await copied.Body?.transformToByteArray();
    expect(body?.byteLength).toBe(bytes.byteLength);
    expect(digest(body ?? new Uint8Array())).toBe(digest(bytes));
  });

  it('aborts the upload and leaves no object when a part fails', async () => {
    // Prepare: a client of its own whose second part copy fails (a network error mid-copy).
    const clients = localClients(stack.emulators.endpoints, stack.emulators.region);
    const sent: string[] = [];
    clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(context.commandName ?? '');
        const input = args.input as { PartNumber?: number };
        if (context.commandName === 'UploadPartCopyCommand' && input.PartNumber === 2)
          throw new Error('injected: connection reset');
        return next(args);
      },
      { step: 'initialize', name: 'failSecondPart' },
    );
    const { ETag } = await stack.clients.s3.send(
      new HeadObjectCommand({ Bucket: landing, Key: 'inbound/big.csv' }),
    );
    const source = { bucket: landing, key: 'inbound/big.csv', versionId: null, etag: ETag ?? '' };

    // Act
    const copy = s3ObjectStore(clients.s3, { multipartAboveBytes: MiB, partBytes: 5 * MiB }).copyObject({
      source,
      target: { bucket: raw, key: 'raw/failed.csv' },
      expectedSha256: null,
    });

    // Assess: the error reaches the caller (the delivery is retried); no object, no upload left open.
    await expect(copy).rejects.toThrow(/connection reset/);
    await expect(
      stack.clients.s3.send(new HeadObjectCommand({ Bucket: raw, Key: 'raw/failed.csv' })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    expect(sent).toContain('AbortMultipartUploadCommand');
    expect(sent).not.toContain('CompleteMultipartUploadCommand');
    clients.destroy();
  });
});
