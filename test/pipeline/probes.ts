import { createHash } from 'node:crypto';
import type { TransactWriteItemsCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DatasetName } from '../../config/partners.ts';
import { fileIdOf } from '../../lib/file-registry/file-record.ts';
import type { OutboxItem } from '../../lib/outbox/outbox-item.ts';
import type { BusEvent } from '../../runtime/bus-events.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { fileNameOf, generateLargeFile, landingKeyOf } from '../sample-data/index.ts';

/** A partner file ready to land, with the fileId file-landing will give it. */
export interface TestFile {
  readonly landingKey: string;
  readonly bytes: Uint8Array;
  readonly fileId: string;
  readonly rows: number;
}

/**
 * A valid globex-pay transactions file (v1 columns, trailer optional and left out) of `rows` rows.
 * Distinct business dates or seeds give distinct files.
 * @example const file = await globexTransactions({ rows: 50, businessDate: '2026-11-20' });
 */
export async function globexTransactions(options: {
  rows: number;
  businessDate: string;
  seed?: number;
}): Promise<TestFile> {
  const partner = 'globex-pay';
  const dataset: DatasetName = 'transactions';
  const chunks: Uint8Array[] = [];
  for await (const chunk of generateLargeFile(options.rows, {
    partner,
    dataset,
    businessDate: options.businessDate,
    seed: options.seed ?? 1,
  })) {
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    landingKey: landingKeyOf(
      partner,
      dataset,
      options.businessDate,
      fileNameOf(partner, dataset, options.businessDate),
    ),
    bytes: new Uint8Array(bytes),
    fileId: fileIdOf({ partner, dataset, businessDate: options.businessDate, sha256 }),
    rows: options.rows,
  };
}

/** Poll `check` until it holds; fail naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every outbox row (a scan through the runtime's own client, so handler-side probes do not see it). */
export async function outboxItems(runtime: Runtime): Promise<OutboxItem[]> {
  const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
  const items: OutboxItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: runtime.resources.tables.outbox!.name,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as OutboxItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The detail fields every finledger event carries. */
export interface EventEnvelope {
  eventId: string;
  type: string;
  runId: string;
  data: { fileId: string | null };
}

export const envelopeOf = (event: BusEvent): EventEnvelope => event.detail as EventEnvelope;

/** Archived (not replayed) events of one type about one file. */
export async function archivedFor(runtime: Runtime, type: string, fileId: string): Promise<BusEvent[]> {
  return (await runtime.bus.archive.read()).filter(
    (event) =>
      event['detail-type'] === type && !event['replay-name'] && envelopeOf(event).data.fileId === fileId,
  );
}

/** The file an outbox row is about. */
export const fileIdOfItem = (item: Pick<OutboxItem, 'detail'>): string | null =>
  (JSON.parse(item.detail) as Partial<EventEnvelope>).data?.fileId ?? null;

/** Outbox rows of one type about one file. */
export async function outboxFor(runtime: Runtime, type: string, fileId: string): Promise<OutboxItem[]> {
  return (await outboxItems(runtime)).filter((item) => item.type === type && fileIdOfItem(item) === fileId);
}

type TransactAction = NonNullable<TransactWriteItemsCommandInput['TransactItems']>[number];

/**
 * Whether a (marshalled) TransactWriteItems input commits an event of one of these types to the outbox:
 * file-landing's commit carries FileLanded; schema-validate's stage commit FileValidated or FileRejected.
 */
export const commitsEvent =
  (...types: string[]) =>
  (input: unknown): boolean =>
    ((input as TransactWriteItemsCommandInput).TransactItems ?? []).some((action: TransactAction) =>
      types.includes(action.Put?.Item?.type?.S ?? ''),
    );
