import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from './clients.ts';
import { type FauxqsHost, FauxqsWorkerError, startFauxqsWorker } from './fauxqs-host.ts';
import type { S3Upload } from './fauxqs-worker-protocol.ts';

const REGION = 'us-east-1';
const options = { port: 0, logger: false, defaultRegion: REGION, messageSpies: { bufferSize: 1000 } };

describe('fauxqs on a worker thread', () => {
  let faux: FauxqsHost;
  let s3: S3Client;
  let sqs: SQSClient;

  beforeAll(async () => {
    faux = await startFauxqsWorker(options);
    const endpoints = { s3: `http://127.0.0.1:${faux.port}`, sqs: `http://127.0.0.1:${faux.port}` };
    s3 = new S3Client(localClientConfig('s3', endpoints, REGION));
    sqs = new SQSClient(localClientConfig('sqs', endpoints, REGION));
  });

  afterAll(async () => {
    s3?.destroy();
    sqs?.destroy();
    await faux?.stop();
  });

  /** Uploads reported until (and with) the one of `key`. */
  const uploadsUntil = async (key: string): Promise<S3Upload[]> => {
    const seen: S3Upload[] = [];
    while (seen.at(-1)?.key !== key) {
      const upload = await faux.nextUpload(10_000);
      if (!upload) throw new Error(`No upload of ${key} reported within 10 s; saw ${JSON.stringify(seen)}`);
      seen.push(upload);
    }
    return seen;
  };

  it('reports each upload once, a multipart one included, in order', async () => {
    // Prepare
    await s3.send(new CreateBucketCommand({ Bucket: 'landing' }));

    // Act
    await s3.send(new PutObjectCommand({ Bucket: 'landing', Key: 'a.csv', Body: 'a\n' }));
    await new Upload({
      client: s3,
      params: { Bucket: 'landing', Key: 'big.csv', Body: Buffer.alloc(6 * 1024 * 1024, 'x') },
      partSize: 5 * 1024 * 1024,
    }).done();
    await s3.send(new PutObjectCommand({ Bucket: 'landing', Key: 'last.csv', Body: 'z\n' }));
    const seen = await uploadsUntil('last.csv');

    // Assess
    expect(seen.map(({ bucket, key }) => `${bucket}/${key}`)).toEqual([
      'landing/a.csv',
      'landing/big.csv',
      'landing/last.csv',
    ]);
    expect(seen.map((upload) => upload.seq - (seen[0]?.seq ?? 0))).toEqual([0, 1, 2]);
    expect(await faux.nextUpload(0)).toBeUndefined();
  });

  it('returns a copy of a queue’s messages, and nothing for an unknown queue', async () => {
    // Prepare
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'inspected' }));
    for (const body of ['one', 'two'])
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));

    // Act
    const queue = await faux.inspectQueue('inspected');
    const again = await faux.inspectQueue('inspected');
    const unknown = await faux.inspectQueue('no-such-queue');

    // Assess
    expect(queue?.messages.ready.map((message) => message.body)).toEqual(['one', 'two']);
    expect(again?.messages.ready).toHaveLength(2);
    expect(unknown).toBeUndefined();
  });

  it('fails to start, naming the cause, when its port is taken', async () => {
    await expect(startFauxqsWorker({ ...options, port: faux.port })).rejects.toThrow(
      /fauxqs did not start \(.*EADDRINUSE.*\)\. Check its port is free/,
    );
  });

  it('ends its thread on stop, after which calls reject', async () => {
    // Prepare
    const own = await startFauxqsWorker(options);

    // Act
    await own.stop();

    // Assess
    await expect(fetch(`http://127.0.0.1:${own.port}/`)).rejects.toThrow();
    await expect(own.inspectQueue('inspected')).rejects.toThrow(/fauxqs is stopped/);
    await expect(own.nextUpload(0)).rejects.toBeInstanceOf(FauxqsWorkerError);
    await expect(own.stop()).resolves.toBeUndefined();
  });

  it('surfaces a crash of its thread to waiting calls and to stop', async () => {
    // Prepare: a stand-in worker that reports ready and throws on its first request.
    const crashing = await startFauxqsWorker(
      options,
      new URL('./testing/crashing-fauxqs-worker.ts', import.meta.url),
    );
    const waiting = crashing.nextUpload(60_000);

    // Act
    const inspected = crashing.inspectQueue('any');

    // Assess
    const crash = /fauxqs \(SQS and S3\) stopped unexpectedly \(worker thread exit code 1: fauxqs blew up\)/;
    await expect(inspected).rejects.toThrow(crash);
    await expect(waiting).rejects.toThrow(crash);
    await expect(crashing.stop()).rejects.toThrow(crash);
  });
});
