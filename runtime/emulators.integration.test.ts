import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../topology/topology.ts';
import { localClients } from './clients.ts';
import { startEmulators } from './emulators.ts';
import { provision } from './provision.ts';
import { isGroupAlive, waitFor } from './testing/helpers.ts';

describe('emulators', () => {
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-emulators-'));
  });

  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps tables, items, messages and objects across a restart and leaves no java process', async () => {
    // Prepare
    const first = await startEmulators({ stateDir });
    const firstPid = first.dynamodbPid;
    const resources = await provision(topology, 'persist', first.endpoints);
    const table = resources.tables.files?.name as string;
    const queueUrl = resources.services['schema-validate']?.queue.url as string;
    const bucket = resources.buckets.raw?.name as string;
    let clients = localClients(first.endpoints, first.region);
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: 'FILE#1' }, sk: { S: 'META' }, note: { S: 'kept' } },
      }),
    );
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'still here' }));
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/a.csv', Body: 'a,b\n' }));
    clients.destroy();

    // Act
    await first.stop();
    const javaGoneAfterStop = !isGroupAlive(firstPid);
    const second = await startEmulators({ stateDir });
    try {
      const again = await provision(topology, 'persist', second.endpoints);
      clients = localClients(second.endpoints, second.region);
      const item = await clients.dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: 'FILE#1' }, sk: { S: 'META' } } }),
      );
      const received = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }),
      );
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'raw/a.csv' }));

      // Assess
      expect(javaGoneAfterStop).toBe(true);
      expect(Object.keys(again.tables)).toEqual(Object.keys(resources.tables));
      expect(item.Item?.note?.S).toBe('kept');
      expect(received.Messages?.map((message) => message.Body)).toEqual(['still here']);
      expect(await object.Body?.transformToString()).toBe('a,b\n');
    } finally {
      clients.destroy();
      await second.stop();
    }
    expect(isGroupAlive(second.dynamodbPid)).toBe(false);
  });

  it('kills DynamoDB Local when the Node process that started it is SIGKILLed', async () => {
    // Prepare
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'testing/dynamodb-child.ts')],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const javaPid = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    expect(isGroupAlive(javaPid)).toBe(true);

    // Act
    child.kill('SIGKILL');

    // Assess
    await waitFor('the reaper to kill the orphaned JVM', () => !isGroupAlive(javaPid), 5000);
  });
});
