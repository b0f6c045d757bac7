import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../lib/aws/client-config.ts';
import { resources } from '../lib/resources.ts';
import type { BusEvent } from './bus-events.ts';
import { type Runtime, startRuntime } from './runtime.ts';
import { fileLandedDetail } from './testing/events.ts';
import { isGroupAlive, recordingLogger } from './testing/helpers.ts';

describe('runtime', () => {
  let runtime: Runtime;
  const landed: BusEvent[] = [];
  const validated: BusEvent[] = [];
  let validateHealthy = false;
  let relayIterations = 0;

  /** Stands in for file-landing: uses only the same accessors a real handler uses. */
  async function fileLanding(event: SQSEvent) {
    const dynamodb = new DynamoDBClient(clientConfig('dynamodb'));
    const eventbridge = new EventBridgeClient(clientConfig('eventbridge'));
    try {
      for (const record of event.Records) {
        const s3Event = JSON.parse(record.body) as BusEvent & { detail: { object: { key: string } } };
        landed.push(s3Event);
        await dynamodb.send(
          new PutItemCommand({
            TableName: resources.table('files'),
            Item: { pk: { S: `KEY#${s3Event.detail.object.key}` }, sk: { S: 'LANDED' } },
          }),
        );
        await eventbridge.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: resources.busName(),
                Source: 'finledger.file-landing',
                DetailType: 'FileLanded',
                Detail: JSON.stringify(fileLandedDetail(1, { key: s3Event.detail.object.key })),
              },
            ],
          }),
        );
      }
    } finally {
      dynamodb.destroy();
      eventbridge.destroy();
    }
  }

  async function schemaValidate(event: SQSEvent) {
    if (!validateHealthy) throw new Error('schema-validate is deliberately failing');
    for (const record of event.Records) validated.push(JSON.parse(record.body) as BusEvent);
  }

  beforeAll(async () => {
    runtime = await startRuntime({
      stage: 'rt',
      handlers: { 'file-landing': fileLanding, 'schema-validate': schemaValidate },
      retryDelaySeconds: 0,
      workers: {
        'outbox-relay': {
          intervalMs: 50,
          run: async () => {
            relayIterations++;
          },
        },
      },
      logger: recordingLogger(),
    });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('runs the pipeline from an upload to the landing bucket through the bus to both services', async () => {
    // Prepare
    const landing = runtime.resources.buckets.landing?.name as string;
    const key = 'inbound/acme/transactions/2024-05-01/a.csv';

    // Act
    await runtime.clients.s3.send(
      new PutObjectCommand({ Bucket: landing, Key: key, Body: 'id,amount\n1,100\n' }),
    );
    await waitForLanding(() => landed.length > 0);
    await runtime.waitForIdle({ timeoutMs: 20_000 });

    // Assess
    const item = await runtime.clients.dynamodb.send(
      new GetItemCommand({
        TableName: 'finledger-rt-files',
        Key: { pk: { S: `KEY#${key}` }, sk: { S: 'LANDED' } },
      }),
    );
    expect(landed.map((event) => [event.source, event['detail-type'], event.detail])).toEqual([
      [
        'aws.s3',
        'Object Created',
        expect.objectContaining({
          bucket: { name: landing },
          object: expect.objectContaining({ key, size: 16 }),
        }),
      ],
    ]);
    expect(item.Item).toBeDefined();
    expect(validated).toEqual([]);
    expect(relayIterations).toBeGreaterThan(0);
  });

  it('parks the event of a failing service in its DLQ and redrives it once the service is fixed', async () => {
    // Prepare
    const [parked, ...others] = await runtime.dlq.listDlq('schema-validate');
    validateHealthy = true;

    // Act
    const { moved } = await runtime.dlq.redriveDlq('schema-validate');
    await runtime.waitForIdle({ timeoutMs: 20_000 });

    // Assess
    expect(others).toEqual([]);
    expect(JSON.parse(parked?.body ?? '{}')).toMatchObject({
      'detail-type': 'FileLanded',
      detail: { version: 1 },
    });
    expect(moved).toBe(1);
    expect(validated.map((event) => (event.detail as { data: { key: string } }).data.key)).toEqual([
      'inbound/acme/transactions/2024-05-01/a.csv',
    ]);
    expect(await runtime.dlq.listDlq('schema-validate')).toEqual([]);
  });

  it('publishes the resource links and endpoints handlers read', () => {
    // Assess
    expect(resources.table('outbox')).toBe('finledger-rt-outbox');
    expect(resources.bucket('raw')).toBe('finledger-rt-raw');
    expect(resources.busName()).toBe('finledger-rt-bus');
    expect(resources.queueUrl('schema-validate')).toBe(
      runtime.resources.services['schema-validate']?.queue.url,
    );
    expect(clientConfig('eventbridge').endpoint).toBe(runtime.bus.endpoint);
    expect(clientConfig('s3')).toMatchObject({ endpoint: runtime.endpoints.s3, forcePathStyle: true });
  });

  it('stops everything idempotently, restores the environment and leaves no java process', async () => {
    // Act
    await Promise.all([runtime.stop(), runtime.stop()]);

    // Assess
    expect(isGroupAlive(runtime.emulators.dynamodbPid)).toBe(false);
    expect(process.env.SST_RESOURCE_App).toBeUndefined();
    expect(process.env.FINLEDGER_ENDPOINT_SQS).toBeUndefined();
  });
});

async function waitForLanding(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error('The upload never reached file-landing: is the S3 bridge running?');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
