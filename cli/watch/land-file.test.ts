import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectBody } from '../../lib/aws/write-object.ts';
import { type DroppedFile, landDroppedFile, type Upload } from './land-file.ts';

async function bytesOf(body: ObjectBody): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('landDroppedFile', () => {
  let dir: string;
  let uploads: { key: string; bytes: Buffer }[];
  const recordingUpload: Upload = async (key, body) => {
    uploads.push({ key, bytes: await bytesOf(body) });
    return 'put';
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finledger-land-file-'));
    uploads = [];
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function drop(name: string, content: string): Promise<DroppedFile> {
    const path = join(dir, name);
    await writeFile(path, content);
    const info = await stat(path);
    return {
      path,
      landingKey: `inbound/${name}`,
      state: { sizeBytes: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs },
    };
  }

  it('streams the file to its landing key', async () => {
    // Prepare
    const file = await drop('a.csv', 'id,amount\n1,100\n');

    // Act
    const outcome = await landDroppedFile(file, 1024, recordingUpload);

    // Assess
    expect(outcome).toEqual({ kind: 'landed', method: 'put' });
    expect(uploads).toEqual([{ key: 'inbound/a.csv', bytes: Buffer.from('id,amount\n1,100\n') }]);
  });

  it('refuses a file over the cap without reading it', async () => {
    // Prepare
    const file = await drop('big.csv', 'x'.repeat(2048));

    // Act
    const outcome = await landDroppedFile(file, 1024, recordingUpload);

    // Assess
    expect(outcome).toEqual({ kind: 'over-cap' });
    expect(uploads).toEqual([]);
  });

  it('reports a file that vanished before it was read', async () => {
    // Prepare
    const file = await drop('gone.csv', 'a\n');
    await rm(file.path);

    // Act
    const outcome = await landDroppedFile(file, 1024, recordingUpload);

    // Assess
    expect(outcome).toMatchObject({ kind: 'failed', problem: { cause: expect.stringContaining('ENOENT') } });
    expect(uploads).toEqual([]);
  });

  it('reports an upload that fails, and leaves the file in place', async () => {
    // Prepare
    const file = await drop('refused.csv', 'a\n');
    const failing: Upload = async () => {
      throw new Error('The landing bucket is not there');
    };

    // Act
    const outcome = await landDroppedFile(file, 1024, failing);

    // Assess
    expect(outcome).toEqual({
      kind: 'failed',
      problem: { cause: 'The landing bucket is not there', nextStep: expect.stringContaining('retried') },
    });
    expect((await stat(file.path)).size).toBe(2);
  });

  it('notices a file that changed while it was uploading', async () => {
    // Prepare
    const file = await drop('moving.csv', 'a\n');
    const touchingUpload: Upload = async (key, body) => {
      await recordingUpload(key, body);
      await utimes(file.path, new Date(), new Date(Date.now() + 60_000));
      return 'put';
    };

    // Act
    const outcome = await landDroppedFile(file, 1024, touchingUpload);

    // Assess
    expect(outcome).toEqual({ kind: 'changed' });
  });
});
