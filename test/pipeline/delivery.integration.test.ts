import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedAwsClients } from '../../lib/aws/clients.ts';
import { idempotencyStore } from '../../lib/consumer/idempotency-store.ts';
import { createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { resources } from '../../lib/resources.ts';
import { loadServiceHandlers } from '../../runtime/handlers.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { type Runtime, startRuntime } from '../../runtime/runtime.ts';
import { topology } from '../../topology/topology.ts';
import { recordS3Puts } from './fault-injection.ts';
import {
  archivedFor,
  envelopeOf,
  globexTransactions,
  outboxFor,
  type TestFile,
  waitUntil,
} from './probes.ts';
import { configureTestEnvironment, landAndSettle, listKeys, registry, startTestPipeline } from './support.ts';

describe('an event delivered again after its file was validated', () => {
  let runtime: Runtime;
  let file: TestFile;

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    file = await globexTransactions({ rows: 25, businessDate: '2026-11-05' });
    await landAndSettle(runtime, [file], 30_000);
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it.each(['through the bus', 'straight to the schema-validate queue'] as const)(
    'has its side effects once when the same FileLanded arrives three more times %s',
    async (path) => {
      // Prepare
      const [landed] = await archivedFor(runtime, 'FileLanded', file.fileId);
      const silver = runtime.resources.buckets.silver!.name;
      const before = {
        record: await registry(runtime).get(file.fileId),
        silverKeys: await listKeys(runtime, silver, 'silver/'),
        validated: await archivedFor(runtime, 'FileValidated', file.fileId),
      };
      expect(before.record?.stage).toBe('VALIDATED');
      expect(before.validated).toHaveLength(1);
      expect(before.silverKeys.length).toBeGreaterThan(0);
      const poller = runtime.pollers['schema-validate']!;
      const statsBefore = poller.stats();
      const silverPuts = recordS3Puts(sharedAwsClients().s3, silver);

      // Act
      try {
        for (let copy = 0; copy < 3; copy++) {
          if (path === 'through the bus') {
            const result = await runtime.bus.putEvents([
              {
                EventBusName: runtime.bus.name,
                Source: landed!.source,
                DetailType: landed!['detail-type'],
                Detail: JSON.stringify(landed!.detail),
              },
            ]);
            expect(result.FailedEntryCount).toBe(0);
          } else {
            await runtime.clients.sqs.send(
              new SendMessageCommand({
                QueueUrl: runtime.resources.services['schema-validate']!.queue.url,
                MessageBody: JSON.stringify(landed),
              }),
            );
          }
        }
        await waitUntil(
          'the three copies are consumed',
          async () => poller.stats().succeeded >= statsBefore.succeeded + 3,
        );
        await runtime.waitForIdle();
      } finally {
        silverPuts.remove();
      }

      // Assess
      expect(poller.stats().succeeded - statsBefore.succeeded).toBe(3);
      expect(poller.stats().failed).toBe(statsBefore.failed);
      expect(await archivedFor(runtime, 'FileValidated', file.fileId)).toEqual(before.validated);
      expect(await outboxFor(runtime, 'FileValidated', file.fileId)).toHaveLength(1);
      expect(await registry(runtime).get(file.fileId)).toEqual(before.record);
      expect(await listKeys(runtime, silver, 'silver/')).toEqual(before.silverKeys);
      expect(silverPuts.keys()).toEqual([]);
    },
  );
});

describe('a consumer whose work throws for one record of a batch', () => {
  const POISON = 'poison';
  const items = ['first', POISON, 'last'];
  /** ApproximateReceiveCount of every delivery of each item (parse runs on every delivery). */
  const deliveries = new Map<string, number[]>();
  /** Times the use case ran per item (behind the idempotency layer). */
  const processed = new Map<string, number>();
  let runtime: Runtime;

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startRuntime({
      retryDelaySeconds: 0,
      s3Notifications: false,
      logger: silentLogger,
      // Every finledger service takes one message per invocation; this consumer takes five, to fail one of them.
      topology: {
        ...topology,
        services: topology.services.map((service) =>
          service.name === 'file-landing'
            ? { ...service, function: { ...service.function, batchSize: 5 } }
            : service,
        ),
      },
      // Built after the resource environment is applied, on the same shared clients as the services.
      handlers: async () => {
        const consumer = createSqsConsumer(
          {
            parse: (record: SQSRecord) => {
              const { item } = JSON.parse(record.body) as { item: string };
              deliveries.set(item, [
                ...(deliveries.get(item) ?? []),
                Number(record.attributes.ApproximateReceiveCount),
              ]);
              return { item };
            },
            idempotencyKey: (work) => work.item,
            fingerprint: (work) => work.item,
            logKeys: (work) => ({ item: work.item }),
            process: async (work) => {
              processed.set(work.item, (processed.get(work.item) ?? 0) + 1);
              if (work.item === POISON) throw new Error(`Injected by the test: ${POISON} always fails.`);
              return { item: work.item };
            },
          },
          {
            service: 'batch-failure-test',
            persistenceStore: idempotencyStore(sharedAwsClients().dynamodb, resources.table('idempotency')),
            logger: new Logger({ serviceName: 'batch-failure-test', logLevel: 'SILENT' }),
          },
        );
        return { 'file-landing': (event, context) => consumer.handler(event, context) };
      },
    });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('retries only the failing record, parks it in the DLQ with its body, and processes the others once', async () => {
    // Prepare
    const service = runtime.topology.services.find((candidate) => candidate.name === 'file-landing')!;
    expect(service.function.batchSize).toBe(5);
    const maxReceiveCount = service.queue.maxReceiveCount;
    const bodies = items.map((item) => JSON.stringify({ item }));

    // Act
    const sent = await runtime.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: runtime.resources.services['file-landing']!.queue.url,
        Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
    expect(sent.Successful).toHaveLength(3);
    await waitUntil(
      'the failing record is in the DLQ',
      async () => (await runtime.dlq.listDlq('file-landing')).length > 0,
    );
    await runtime.waitForIdle();

    // Assess
    const parked = await runtime.dlq.listDlq('file-landing');
    expect(parked.map((message) => message.body)).toEqual([JSON.stringify({ item: POISON })]);
    expect(deliveries.get(POISON)).toEqual(Array.from({ length: maxReceiveCount }, (_, index) => index + 1));
    expect(processed.get(POISON)).toBe(maxReceiveCount);
    for (const item of items.filter((candidate) => candidate !== POISON)) {
      expect(deliveries.get(item)).toEqual([1]);
      expect(processed.get(item)).toBe(1);
    }
    const records = await runtime.clients.dynamodb.send(
      new ScanCommand({ TableName: runtime.resources.tables.idempotency!.name, ConsistentRead: true }),
    );
    expect((records.Items ?? []).map((record) => record.status?.S).sort()).toEqual([
      'COMPLETED',
      'COMPLETED',
    ]);
  });
});

describe('a FileLanded message lost before schema-validate processed it', () => {
  let runtime: Runtime;
  let dropped: SQSRecord | undefined;

  beforeAll(async () => {
    // The watchdog reads the SLA on every run; one second makes the lost file overdue at once.
    configureTestEnvironment({ FINLEDGER_FILE_SLA_SECONDS: '1' });
    runtime = await startTestPipeline({
      handlers: async (topology, stage) => {
        const loaded = await loadServiceHandlers(topology, stage);
        const validate = loaded['schema-validate']!;
        return {
          ...loaded,
          // The first delivery is acknowledged without being processed: the message is gone.
          'schema-validate': async (event, context) => {
            if (dropped) return validate(event, context);
            dropped = event.Records[0];
            return { batchItemFailures: [] };
          },
        };
      },
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    configureTestEnvironment();
  });

  it('is re-driven by the watchdog from the last committed FileLanded and validated once', async () => {
    // Prepare
    const file = await globexTransactions({ rows: 20, businessDate: '2026-11-06' });

    // Act
    await landAndSettle(runtime, [file], 30_000);

    // Assess
    expect(dropped).toBeDefined();
    const lostEventId = (JSON.parse(dropped!.body) as { detail: { eventId: string } }).detail.eventId;
    const landed = await archivedFor(runtime, 'FileLanded', file.fileId);
    expect(landed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(landed.map((event) => envelopeOf(event).eventId))).toEqual(new Set([lostEventId]));
    expect(await outboxFor(runtime, 'FileLanded', file.fileId)).toHaveLength(1);
    expect(await archivedFor(runtime, 'FileValidated', file.fileId)).toHaveLength(1);
    const record = await registry(runtime).get(file.fileId);
    expect(record).toMatchObject({
      stage: 'VALIDATED',
      counts: { rowsIn: file.rows, valid: file.rows, quarantined: 0 },
    });
    expect(record?.redrives).toBeGreaterThanOrEqual(1);
  });
});
