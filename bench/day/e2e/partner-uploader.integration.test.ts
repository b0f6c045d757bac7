import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MULTIPART_PART_BYTES } from '../../../lib/aws/write-object.ts';
import { type Runtime, startRuntime } from '../../../runtime/runtime.ts';
import { recordingLogger, sharedDynamoDb, waitFor } from '../../../runtime/testing/helpers.ts';
import { LANDING_ACTOR } from './actor-context.ts';
import { startUploader } from './partner-uploader.ts';

interface ObjectCreated {
  readonly 'detail-type': string;
  readonly detail: { readonly object: { readonly key: string; readonly size: number } };
}

describe('startUploader', () => {
  let runtime: Runtime;
  let folder: string;
  const created: ObjectCreated[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'finledger-uploader-'));
    runtime = await startRuntime({
      stage: 'upl',
      sharedDynamoDb: sharedDynamoDb(),
      handlers: {
        'file-landing': async (event: SQSEvent) => {
          for (const record of event.Records) created.push(JSON.parse(record.body) as ObjectCreated);
        },
      },
      retryDelaySeconds: 0,
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('lands every file from its own thread, each becoming one Object Created event, and counts its calls', async () => {
    // Prepare: two small files and one above the multipart threshold (two parts)
    const files = [
      { landingKey: 'inbound/acme-bank/transactions/2026-11-20/a.csv', bytes: 1_000 },
      { landingKey: 'inbound/acme-bank/transactions/2026-11-20/b.csv', bytes: MULTIPART_PART_BYTES + 1_000 },
      { landingKey: 'inbound/globex-pay/settlements/2026-11-20/c.csv', bytes: 10 },
    ];
    const toLand = await Promise.all(
      files.map(async (file, index) => {
        const path = join(folder, `file-${index}.csv`);
        await writeFile(path, Buffer.alloc(file.bytes, 0x61 + index));
        return { landingKey: file.landingKey, path };
      }),
    );
    const uploader = await startUploader(runtime);

    // Act
    await uploader.upload(toLand.slice(0, 2));
    await uploader.upload(toLand.slice(2));
    const tallies = await uploader.stop();
    await waitFor('the Object Created events', () => created.length >= files.length, 10_000);
    await runtime.waitForIdle({ timeoutMs: 10_000 });

    // Assess
    expect(
      created.map((event) => [event['detail-type'], event.detail.object.key, event.detail.object.size]),
    ).toEqual(files.map((file) => ['Object Created', file.landingKey, file.bytes]));
    const calls = Object.fromEntries(
      tallies.map((tally) => [`${tally.operation} ${tally.target} ${tally.actor}`, tally.calls]),
    );
    expect(calls).toEqual({
      [`PutObject landing:inbound ${LANDING_ACTOR}`]: 2,
      [`CreateMultipartUpload landing:inbound ${LANDING_ACTOR}`]: 1,
      [`UploadPart landing:inbound ${LANDING_ACTOR}`]: 2,
      [`CompleteMultipartUpload landing:inbound ${LANDING_ACTOR}`]: 1,
    });
  });

  it('refuses uploads once stopped, naming what happened', async () => {
    // Prepare
    const uploader = await startUploader(runtime);
    await uploader.stop();

    // Act and assess
    await expect(uploader.upload([{ landingKey: 'inbound/x.csv', path: '/nonexistent' }])).rejects.toThrow(
      /upload thread ended/,
    );
  });
});
