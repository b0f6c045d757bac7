import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landObjects } from '../../cli/main-job.ts';
import { waitForTerminalFiles } from '../../cli/pipeline-state.ts';
import { sharedAwsClients } from '../../lib/aws/clients.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import {
  failPutEventsEntryOnce,
  INJECTED_PUT_EVENTS_FAILURE,
  loseDynamoDbResponses,
  throttleDynamoDb,
} from './fault-injection.ts';
import {
  archivedFor,
  commitsEvent,
  envelopeOf,
  fileIdOfItem,
  globexTransactions,
  outboxFor,
  outboxItems,
  waitUntil,
} from './probes.ts';
import { configureTestEnvironment, landAndSettle, registry, startTestPipeline } from './support.ts';

describe('faults injected into the real SDK clients of the offline pipeline', () => {
  let runtime: Runtime;

  beforeAll(async () => {
    configureTestEnvironment();
    // The relay runs only when a test (or waitForIdle) drives it, so a batch can build up before it is sent.
    runtime = await startTestPipeline({ relayIntervalMs: 600_000, kickStreamWorkers: false });
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('keeps an entry refused inside a 200 PutEvents pending and publishes it on the next sweep, once', async () => {
    // Prepare
    const files = await Promise.all(
      ['2026-11-02', '2026-11-03', '2026-11-04'].map((businessDate) =>
        globexTransactions({ rows: 30, businessDate }),
      ),
    );
    const target = files[1]!;
    const others = files.filter((file) => file !== target);
    const fileIds = new Set(files.map((file) => file.fileId));
    await landObjects(runtime, files);
    await waitUntil(
      'all three FileLanded entries are pending',
      async () =>
        (await outboxItems(runtime)).filter(
          (item) =>
            item.type === 'FileLanded' && item.status === 'PENDING' && fileIds.has(fileIdOfItem(item) ?? ''),
        ).length === 3,
    );
    const fault = failPutEventsEntryOnce(
      sharedAwsClients().eventbridge,
      (entry) =>
        entry.DetailType === 'FileLanded' && fileIdOfItem({ detail: entry.Detail ?? '{}' }) === target.fileId,
    );

    let refusedEventId: string;
    try {
      // Act: one relay pass sends the three entries in one PutEvents, and the bus refuses one of them.
      await runtime.loops['outbox-relay']!.runNow();

      // Assess
      expect(fault.failedEntry()?.DetailType).toBe('FileLanded');
      const [refused] = await outboxFor(runtime, 'FileLanded', target.fileId);
      expect(refused?.status).toBe('PENDING');
      expect(refused?.attempts).toBeGreaterThanOrEqual(1);
      expect(refused?.lastError).toContain(INJECTED_PUT_EVENTS_FAILURE.ErrorCode);
      refusedEventId = refused!.eventId;
      for (const file of others) {
        expect(await outboxFor(runtime, 'FileLanded', file.fileId)).toEqual([
          expect.objectContaining({ status: 'PUBLISHED' }),
        ]);
        expect(await archivedFor(runtime, 'FileLanded', file.fileId)).toHaveLength(1);
      }
      expect(await archivedFor(runtime, 'FileLanded', target.fileId)).toEqual([]);

      // Act: the next sweep.
      await runtime.loops['outbox-relay']!.runNow();

      // Assess
      expect(await outboxFor(runtime, 'FileLanded', target.fileId)).toEqual([
        expect.objectContaining({ status: 'PUBLISHED', eventId: refusedEventId }),
      ]);
    } finally {
      fault.remove();
    }
    await waitForTerminalFiles(runtime, 30_000);
    const landed = await archivedFor(runtime, 'FileLanded', target.fileId);
    expect(landed.map((event) => envelopeOf(event).eventId)).toEqual([refusedEventId]);
    for (const file of files) {
      expect((await registry(runtime).get(file.fileId))?.stage).toBe('VALIDATED');
      expect(await archivedFor(runtime, 'FileValidated', file.fileId)).toHaveLength(1);
    }
  });

  it.each([
    { service: 'file-landing', beyondRetries: false, businessDate: '2026-11-10' },
    { service: 'file-landing', beyondRetries: true, businessDate: '2026-11-11' },
    { service: 'schema-validate', beyondRetries: false, businessDate: '2026-11-12' },
    { service: 'schema-validate', beyondRetries: true, businessDate: '2026-11-13' },
  ] as const)(
    'validates the file exactly once when the $service commit is throttled (beyond the SDK retries: $beyondRetries)',
    async ({ service, beyondRetries, businessDate }) => {
      // Prepare
      const { dynamodb } = sharedAwsClients();
      const maxAttempts = await dynamodb.config.maxAttempts();
      // Within: every attempt but the last is throttled. Beyond: one whole invocation, then two more.
      const times = beyondRetries ? maxAttempts + 2 : maxAttempts - 1;
      const file = await globexTransactions({ rows: 40, businessDate });
      const throttle = throttleDynamoDb(dynamodb, {
        commandName: 'TransactWriteItemsCommand',
        times,
        when: commitsEvent(service === 'schema-validate' ? 'FileValidated' : 'FileLanded'),
      });
      const poller = runtime.pollers[service]!;
      const failedBefore = poller.stats().failed;

      // Act
      try {
        await landAndSettle(runtime, [file], 45_000);
      } finally {
        throttle.remove();
      }

      // Assess: the throttles were hit, and exactly one commit went through.
      expect(throttle.throttled()).toBe(times);
      expect(throttle.passed()).toBe(1);
      expect(poller.stats().failed - failedBefore).toBe(Math.floor(times / maxAttempts));
      expect(await runtime.dlq.listDlq(service)).toEqual([]);
      const record = await registry(runtime).get(file.fileId);
      const rows = { rowsIn: file.rows, valid: file.rows, quarantined: 0 };
      expect(record).toMatchObject({ stage: 'VALIDATED', counts: rows, redeliveries: 0 });
      expect(await archivedFor(runtime, 'FileLanded', file.fileId)).toHaveLength(1);
      const validated = await archivedFor(runtime, 'FileValidated', file.fileId);
      expect(validated.map((event) => (event.detail as { data: { counts: unknown } }).data.counts)).toEqual([
        rows,
      ]);
      expect(await outboxFor(runtime, 'FileValidated', file.fileId)).toHaveLength(1);
    },
  );

  it('closes the stage once when the stage commit went through but every response to it was lost', async () => {
    // Prepare: the first invocation's transaction commits, yet all its attempts end in a reset connection,
    // so the record fails and is redelivered at once (retryDelaySeconds 0), well inside DynamoDB's
    // 10-minute ClientRequestToken window.
    const { dynamodb } = sharedAwsClients();
    const maxAttempts = await dynamodb.config.maxAttempts();
    const file = await globexTransactions({ rows: 15, businessDate: '2026-11-14' });
    const lost = loseDynamoDbResponses(dynamodb, {
      commandName: 'TransactWriteItemsCommand',
      times: maxAttempts,
      when: commitsEvent('FileValidated'),
    });
    const poller = runtime.pollers['schema-validate']!;
    const failedBefore = poller.stats().failed;

    // Act
    try {
      await landAndSettle(runtime, [file], 30_000);
    } finally {
      lost.remove();
    }

    // Assess: the redelivery recognises its own earlier commit instead of failing until the DLQ.
    expect(lost.lost()).toBe(maxAttempts);
    expect(poller.stats().failed - failedBefore).toBe(1);
    expect(await runtime.dlq.listDlq('schema-validate')).toEqual([]);
    expect((await registry(runtime).get(file.fileId))?.stage).toBe('VALIDATED');
    expect(await outboxFor(runtime, 'FileValidated', file.fileId)).toHaveLength(1);
    expect(await archivedFor(runtime, 'FileValidated', file.fileId)).toHaveLength(1);
  });
});
