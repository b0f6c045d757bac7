import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardFinding } from '../../lib/card-data/scan/findings.ts';
import type { ScanReport } from '../../lib/card-data/scan/scan-report.ts';
import { runtimeLogDir } from '../../runtime/log-file.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { type Runtime, startRuntime } from '../../runtime/runtime.ts';
import { scanRuntime } from './scan-runtime.ts';

/** A sha256 hex digest and a UUID that hold a Luhn-valid digit run by chance (lib/card-data/scan tests). */
const SHA256_WITH_RUN = '7f0aeaaa4939c2150413b50fb2c1d584be2ce477416233877267d36fb062c098';
const UUID_WITH_RUN = 'e4c3b5ea-b4f5-4220-8716-5406162bd630';
const PAN = '4111111111111111';

describe('pan-scan over a runtime state folder', () => {
  let stateDir: string;
  let runtime: Runtime;
  let report: ScanReport;
  let dlqBefore: string[];
  let dlqAfter: string[];
  const bucket = (name: string) => runtime.resources.buckets[name]?.name ?? name;
  const table = (name: string) => runtime.resources.tables[name]?.name ?? name;
  const dlq = () => runtime.resources.services['schema-validate']?.dlq;
  const messageIds = async () =>
    (await runtime.emulators.fauxqs.inspectQueue(dlq()?.name ?? ''))?.messages.ready.map(
      (message) => message.messageId,
    ) ?? [];

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'finledger-pan-scan-'));
    runtime = await startRuntime({ stateDir, handlers: {}, s3Notifications: false, logger: silentLogger });
    const put = (name: string, key: string, body: Uint8Array | string) =>
      runtime.clients.s3.send(new PutObjectCommand({ Bucket: bucket(name), Key: key, Body: body }));
    const parquet = (columnData: Parameters<typeof parquetWriteBuffer>[0]['columnData']) =>
      new Uint8Array(parquetWriteBuffer({ columnData }));

    await put('landing', `inbound/acme-bank/transactions/2026-11-19/${PAN}.csv`, 'id\n1\n');
    await put('quarantine', 'quarantine/f_1/rows.csv', `row,reason\n3,bad card ${PAN}\n`);
    await put(
      'silver',
      'silver/utf16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`a\nb ${PAN}`, 'utf16le')]),
    );
    await put('gold', 'gold/ref.json', `{"ref":"tx${PAN}ab"}`);
    await put(
      'silver',
      'silver/part-1.parquet',
      parquet([{ name: 'note', data: ['ok', `x ${PAN}`], type: 'STRING' }]),
    );
    await put(
      'silver',
      'silver/part-2.parquet',
      parquet([{ name: 'card', data: BigInt64Array.from([BigInt(PAN)]), type: 'INT64' }]),
    );
    await put('quarantine', `restricted/f_2/${PAN}.csv`, `card\n${PAN}\n`);
    await put('raw', 'raw/tokens.json', JSON.stringify({ sha256: SHA256_WITH_RUN, eventId: UUID_WITH_RUN }));
    await runtime.clients.dynamodb.send(
      new PutItemCommand({
        TableName: table('files'),
        Item: { pk: { S: `KEY#inbound/${PAN}.csv` }, sk: { S: 'KEY' } },
      }),
    );
    await runtime.clients.dynamodb.send(
      new PutItemCommand({
        TableName: table('outbox'),
        Item: { pk: { S: 'OUT#1' }, detail: { M: { rows: { L: [{ M: { card: { N: PAN } } }] } } } },
      }),
    );
    await runtime.clients.eventbridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: runtime.resources.bus.name,
            Source: 'finledger.test',
            DetailType: 'CardLeaked',
            Detail: JSON.stringify({ reason: `bad card ${PAN}` }),
          },
        ],
      }),
    );
    for (const body of ['first', `{"reason":"card ${PAN}"}`, 'third'])
      await runtime.clients.sqs.send(new SendMessageCommand({ QueueUrl: dlq()?.url, MessageBody: body }));
    await mkdir(runtimeLogDir(stateDir), { recursive: true });
    await writeFile(join(runtimeLogDir(stateDir), 'handler.log'), `started\nfailed on ${PAN}\n`);

    dlqBefore = await messageIds();
    report = await scanRuntime(runtime, { stateDir });
    dlqAfter = await messageIds();
  });

  afterAll(async () => {
    await runtime?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  /** Findings whose fields equal (or, for a RegExp, match) the expected ones. */
  type Expected = { readonly [field in keyof CardFinding]?: string | RegExp };
  const found = (expected: Expected) =>
    report.findings.filter((finding) =>
      Object.entries(expected).every(([field, value]) => {
        const actual = finding[field as keyof CardFinding];
        return value instanceof RegExp ? value.test(actual) : actual === value;
      }),
    );

  it.each<[string, () => Expected]>([
    [
      'an object key',
      () => ({
        store: 'object-key',
        container: bucket('landing'),
        entry: 'inbound/acme-bank/transactions/2026-11-19/************1111.csv',
        where: 'key, column 43',
      }),
    ],
    [
      'a CSV body',
      () => ({
        store: 'object',
        container: bucket('quarantine'),
        entry: 'quarantine/f_1/rows.csv',
        where: 'line 2, column 12',
      }),
    ],
    [
      'UTF-16 text',
      () => ({ store: 'object', entry: 'silver/utf16.csv', where: 'UTF-16LE line 2, column 3' }),
    ],
    [
      'a PAN glued to letters',
      () => ({ store: 'object', entry: 'gold/ref.json', where: 'line 1, column 11' }),
    ],
    [
      'a Parquet string column',
      () => ({ store: 'object', entry: 'silver/part-1.parquet', where: 'column note, row 2' }),
    ],
    [
      'a Parquet INT64 column',
      () => ({ store: 'object', entry: 'silver/part-2.parquet', where: 'column card, row 1' }),
    ],
    [
      'a DynamoDB key attribute',
      () => ({
        store: 'item',
        container: table('files'),
        entry: 'pk=KEY#inbound/************1111.csv, sk=KEY',
        where: 'attribute pk',
      }),
    ],
    [
      'a nested map attribute',
      () => ({
        store: 'item',
        container: table('outbox'),
        entry: 'pk=OUT#1',
        where: 'attribute detail.rows[0].card',
      }),
    ],
    [
      'an archived event',
      () => ({
        store: 'archive',
        container: `${runtime.resources.bus.name}.jsonl`,
        where: /^line 1, column \d+$/,
      }),
    ],
    [
      // The bus event log holds every event the archive does (lib/event-log/), so the same leak shows there too.
      'the bus event log',
      () => ({
        store: 'object',
        container: bucket('event-log'),
        entry: /^event-log\/type=CardLeaked\/date=\d{4}-\d\d-\d\d\/[^/]+\.jsonl$/,
        where: /^line 1, column \d+$/,
      }),
    ],
    [
      'a DLQ message',
      () => ({ store: 'queue', container: dlq()?.name ?? '', where: 'body, line 1, column 17' }),
    ],
    ['a log line', () => ({ store: 'log', container: 'handler.log', where: 'line 2, column 11' })],
  ])('finds a card number in %s, with its location', (_name, expected) => {
    expect(found(expected()), JSON.stringify(report.findings, null, 2)).toHaveLength(1);
  });

  it('reports nothing else: not under restricted/, not in a digest or a UUID, never a clear card number', () => {
    expect(report.findings).toHaveLength(12);
    expect(report.findings.some((finding) => finding.entry.startsWith('restricted/'))).toBe(false);
    expect(report.findings.some((finding) => finding.entry === 'raw/tokens.json')).toBe(false);
    expect(JSON.stringify(report)).not.toContain(PAN);
    expect(report.errors).toEqual([]);
  });

  it('counts what it read and skipped, and names the archived event of a finding', () => {
    expect(report.scanned).toMatchObject({
      buckets: 6,
      objects: 8,
      restrictedObjects: 1,
      tables: 4,
      items: 2,
      archiveFiles: 1,
      archivedEvents: 1,
      messages: 3,
      logFiles: 2,
    });
    expect(found({ store: 'archive' })[0]?.entry).toMatch(/^line 1 \(CardLeaked [0-9a-f-]{36}\)$/);
  });

  it('leaves every DLQ message in place and in order', () => {
    expect(dlqBefore).toHaveLength(3);
    expect(dlqAfter).toEqual(dlqBefore);
  });
});
