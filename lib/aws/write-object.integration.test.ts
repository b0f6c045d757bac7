import { randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  type ServiceInputTypes as S3Input,
  type ServiceOutputTypes as S3Output,
} from '@aws-sdk/client-s3';
import type { InitializeMiddleware } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../runtime/testing/helpers.ts';
import { MULTIPART_PART_BYTES, writeObject } from './write-object.ts';

const MiB = 1024 ** 2;
let sequence = 0;

/** Record every command the client sends (once per command, before retries) while `act` runs. */
async function commandsDuring(s3: S3Client, act: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const name = `count-commands-${++sequence}`;
  const middleware: InitializeMiddleware<S3Input, S3Output> = (next, context) => (args) => {
    sent.push(context.commandName ?? 'unknown');
    return next(args);
  };
  s3.middlewareStack.add(middleware, { step: 'initialize', name });
  try {
    await act();
  } finally {
    s3.middlewareStack.remove(name);
  }
  return sent;
}

/** Fail the n-th UploadPart the client sends, once, as S3 would fail a part. */
function failUploadPart(s3: S3Client, partNumber: number): () => void {
  const name = `fail-upload-part-${++sequence}`;
  const middleware: InitializeMiddleware<S3Input, S3Output> = (next, context) => (args) => {
    const input = args.input as { PartNumber?: number };
    if (context.commandName === 'UploadPartCommand' && input.PartNumber === partNumber)
      throw new Error(`injected: part ${partNumber} refused`);
    return next(args);
  };
  s3.middlewareStack.add(middleware, { step: 'initialize', name });
  return () => s3.middlewareStack.remove(name);
}

async function* chunksOf(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let start = 0; start < bytes.byteLength; start += size) yield bytes.subarray(start, start + size);
}

const count = (commands: string[], name: string) => commands.filter((command) => command === name).length;

describe('writeObject on fauxqs S3', () => {
  let stack: TestStack;
  let bucket: string;
  const large = randomBytes(30 * MiB);

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'write-object' });
    bucket = stack.resources.buckets.landing?.name as string;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function readBack(key: string): Promise<Buffer> {
    const result = await stack.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!result.Body) throw new Error(`s3://${bucket}/${key} came back without a body`);
    return Buffer.from(await result.Body.transformToByteArray());
  }

  it('is needed: fauxqs refuses a 30 MiB body as one PutObject', async () => {
    // Act
    const put = stack.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'refused.bin', Body: large }),
    );

    // Assess
    await expect(put).rejects.toThrow();
  });

  it.each([
    ['bytes', () => large],
    ['a stream of unknown length', () => chunksOf(large, 64 * 1024)],
  ])('writes 30 MiB given as %s in 8 MiB parts and reads it back byte-identical', async (_kind, body) => {
    // Prepare
    const key = `large/${_kind.replaceAll(' ', '-')}.bin`;

    // Act
    let method: string | undefined;
    const commands = await commandsDuring(stack.clients.s3, async () => {
      method = await writeObject(stack.clients.s3, {
        Bucket: bucket,
        Key: key,
        Body: body(),
        ContentType: 'application/vnd.apache.parquet',
        ChecksumAlgorithm: 'SHA256',
      });
    });

    // Assess
    expect(method).toBe('multipart');
    expect(count(commands, 'PutObjectCommand')).toBe(0);
    expect(count(commands, 'CreateMultipartUploadCommand')).toBe(1);
    expect(count(commands, 'UploadPartCommand')).toBe(Math.ceil(large.byteLength / MULTIPART_PART_BYTES));
    expect(count(commands, 'CompleteMultipartUploadCommand')).toBe(1);
    expect((await readBack(key)).equals(large)).toBe(true);
    const head = await stack.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentType).toBe('application/vnd.apache.parquet');
    expect(head.ContentLength).toBe(large.byteLength);
  });

  it.each([
    ['bytes', (bytes: Uint8Array) => bytes],
    ['a stream', (bytes: Uint8Array) => chunksOf(bytes, 100)],
  ])('writes a small body given as %s with a single PutObject', async (kind, body) => {
    // Prepare
    const small = new TextEncoder().encode('id,amount\n1,100\n'.repeat(64));
    const key = `small/${kind.replaceAll(' ', '-')}.csv`;

    // Act
    let method: string | undefined;
    const commands = await commandsDuring(stack.clients.s3, async () => {
      method = await writeObject(stack.clients.s3, { Bucket: bucket, Key: key, Body: body(small) });
    });

    // Assess
    expect(method).toBe('put');
    expect(commands).toEqual(['PutObjectCommand']);
    expect((await readBack(key)).equals(small)).toBe(true);
  });

  it('aborts the multipart upload when a part fails and leaves no object', async () => {
    // Prepare
    const key = 'large/failed.bin';
    const remove = failUploadPart(stack.clients.s3, 2);

    // Act
    let failure: unknown;
    const commands = await commandsDuring(stack.clients.s3, async () => {
      failure = await writeObject(stack.clients.s3, { Bucket: bucket, Key: key, Body: large }).catch(
        (error: unknown) => error,
      );
    });
    remove();

    // Assess
    expect(String(failure)).toContain('injected: part 2 refused');
    expect(count(commands, 'AbortMultipartUploadCommand')).toBe(1);
    expect(count(commands, 'CompleteMultipartUploadCommand')).toBe(0);
    await expect(
      stack.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });
});
