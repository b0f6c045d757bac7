import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DatasetName } from '../../config/partners.ts';
import { DatasetNameSchema } from '../../contracts/events/file-landed.ts';
import { daySortPrefix, FILES_BY_DAY_INDEX } from './day-index.ts';
import { type DedupLedgerRecord, dedupLedgerKey, type LedgerEntry, ledgerEntries } from './dedup-ledger.ts';
import { type DedupRunRecord, dedupRunKey } from './dedup-run-record.ts';
import { type FileRecord, fileKey } from './file-record.ts';
import { FILE_RUN_HISTORY_PREFIX, type FileRunHistoryRecord } from './run-record.ts';

/** Which files of a day to list: all, one dataset's, or one partner's (of one dataset or of every dataset). */
export interface DayFilter {
  readonly dataset?: DatasetName;
  readonly partner?: string;
}

/** A business date's registry: every landed file of it and every committed dedup run of those files. */
export interface DayListing {
  /** In `daySort` order: dataset, partner, fileId. */
  readonly files: FileRecord[];
  readonly dedupRuns: DedupRunRecord[];
}

const BUSINESS_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** BatchGetItem reads at most 100 keys per request. */
const BATCH_GET_KEYS = 100;
/** Unprocessed keys (throttling) are asked again this many times, with a growing pause, before giving up. */
const BATCH_GET_ATTEMPTS = 8;

/** Reads of the file registry shared by the watchdog, the CLI and tests. */
export class FileRegistryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(fileId: string): Promise<FileRecord | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: fileKey(fileId), ConsistentRead: true }),
    );
    return result.Item as FileRecord | undefined;
  }

  /**
   * The earlier runs of a file that reruns moved it on from (`pk FILE#<fileId>`, `sk RUN#<runId>`), oldest first.
   * @example const history = await store.runHistory('f_…') // [{ runId: 'run_…', stage: 'VALIDATED', … }]
   */
  async runHistory(fileId: string): Promise<FileRunHistoryRecord[]> {
    const items: FileRunHistoryRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
          ExpressionAttributeValues: { ':pk': fileKey(fileId).pk, ':run': FILE_RUN_HISTORY_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as FileRunHistoryRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.sort((a, b) => (a.movedAt < b.movedAt ? -1 : a.movedAt > b.movedAt ? 1 : 0));
  }

  /** Files still open, oldest first, that opened before `before` (ISO instant). */
  async listOpen(before: string): Promise<FileRecord[]> {
    const items: FileRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'open-files',
          KeyConditionExpression: 'openShard = :open AND openSince < :before',
          ExpressionAttributeValues: { ':open': 'OPEN', ':before': before },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as FileRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * Every file of a business date and the dedup runs of those files, from the `files-by-day` index: one Query
   * per dataset asked for (`begins_with(daySort, <dataset>#[<partner>#])`), every page, never a scan.
   * A GSI is eventually consistent, so an item committed a moment ago may not be listed yet.
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Reads
   * @example const { files, dedupRuns } = await store.listDay('2026-11-20', { dataset: 'transactions', partner: 'acme-bank' })
   */
  async listDay(businessDate: string, filter: DayFilter = {}): Promise<DayListing> {
    if (!BUSINESS_DATE.test(businessDate))
      throw new RangeError(`listDay needs a business date as YYYY-MM-DD, got "${businessDate}".`);
    const prefixes =
      filter.dataset !== undefined
        ? [daySortPrefix(filter.dataset, filter.partner)]
        : filter.partner !== undefined
          ? DatasetNameSchema.options.map((dataset) => daySortPrefix(dataset, filter.partner))
          : [null];
    const files: FileRecord[] = [];
    const dedupRuns: DedupRunRecord[] = [];
    for (const prefix of prefixes) {
      for (const item of await this.queryDay(businessDate, prefix)) {
        const sk = String(item.sk);
        if (sk === 'FILE') files.push(item as unknown as FileRecord);
        else if (sk.startsWith('DEDUP#')) dedupRuns.push(item as unknown as DedupRunRecord);
      }
    }
    return { files, dedupRuns };
  }

  private async queryDay(day: string, prefix: string | null): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      // `day` is a DynamoDB reserved word, hence the name placeholders.
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: FILES_BY_DAY_INDEX,
          KeyConditionExpression:
            prefix === null ? '#day = :day' : '#day = :day AND begins_with(#daySort, :prefix)',
          ExpressionAttributeNames: { '#day': 'day', ...(prefix === null ? {} : { '#daySort': 'daySort' }) },
          ExpressionAttributeValues: { ':day': day, ...(prefix === null ? {} : { ':prefix': prefix }) },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * As `listDay`, with each listed file and the dedup record of its current run read strongly consistent by key. The
   * index says which files a date has (they were registered when they landed, long before); the table says where
   * each is now. So of two files of a scope closing together, the reader that runs after both commits sees both.
   * @example const { files, dedupRuns } = await store.listDayConsistent('2026-11-20', { dataset: 'settlements', partner: 'acme-bank' })
   */
  async listDayConsistent(businessDate: string, filter: DayFilter = {}): Promise<DayListing> {
    const { files: listed } = await this.listDay(businessDate, filter);
    const files = await this.batchGetConsistent<FileRecord>(listed.map((file) => fileKey(file.fileId)));
    const validated = files.filter((file) => file.stage === 'VALIDATED');
    const dedupRuns = await this.batchGetConsistent<DedupRunRecord>(
      validated.map((file) => dedupRunKey(file.fileId, file.runId)),
    );
    return { files, dedupRuns };
  }

  private async batchGetConsistent<T>(keys: readonly Record<string, string>[]): Promise<T[]> {
    const items: T[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) {
      let pending: Record<string, unknown>[] = keys.slice(start, start + BATCH_GET_KEYS);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > BATCH_GET_ATTEMPTS)
          throw new Error(
            `DynamoDB left ${pending.length} registry reads unprocessed after ${BATCH_GET_ATTEMPTS} attempts (throttling on ${this.table}); the message is retried. If it keeps failing, check the table's throttling metrics.`,
          );
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const result = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        items.push(...((result.Responses?.[this.table] ?? []) as T[]));
        pending = result.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return items;
  }

  /**
   * A partner's committed dedup runs of one business date, complete: the `files-by-day` index, plus the runs the
   * strongly consistent ledger names that the index does not list yet (each read by key, strongly consistent).
   * @example const runs = await store.committedDedupRuns('2026-11-20', 'acme-bank')
   */
  async committedDedupRuns(businessDate: string, partner: string): Promise<DedupRunRecord[]> {
    const [{ dedupRuns }, ledger] = await Promise.all([
      this.listDay(businessDate, { partner }),
      this.dedupLedger(partner, businessDate),
    ]);
    const listed = new Set(dedupRuns.map((run) => `${run.fileId}:${run.runId}`));
    const lagging = ledger.filter((entry) => !listed.has(`${entry.fileId}:${entry.runId}`));
    const fetched = await this.batchGetConsistent<DedupRunRecord>(
      lagging.map((entry) => dedupRunKey(entry.fileId, entry.runId)),
    );
    // Both are written in one transaction, so a ledger entry without its record means the table was edited by hand.
    const missing = lagging.find(
      (entry) => !fetched.some((run) => run.fileId === entry.fileId && run.runId === entry.runId),
    );
    if (missing)
      throw new Error(
        `The dedup ledger names run ${missing.runId} of file ${missing.fileId}, but its DEDUP record is missing from the files table. Restore it (point-in-time recovery) or replay that file's FileValidated.`,
      );
    return [...dedupRuns, ...fetched];
  }

  private async dedupLedger(partner: string, businessDate: string): Promise<LedgerEntry[]> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: dedupLedgerKey(partner, businessDate),
        ConsistentRead: true,
      }),
    );
    return ledgerEntries(result.Item as DedupLedgerRecord | undefined);
  }

  /** Every registered file (reports and the CLI; a scan, so not for hot paths). */
  async listAll(): Promise<FileRecord[]> {
    const items: FileRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'sk = :file',
          ExpressionAttributeValues: { ':file': 'FILE' },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      items.push(...((page.Items ?? []) as FileRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * Count a re-drive by the watchdog (reported, and alarmed past a limit). Returns null when the file
   * closed since the watchdog listed it: nothing to count or re-drive, and no reason to stop the sweep.
   */
  async recordRedrive(fileId: string, at: string): Promise<number | null> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: fileKey(fileId),
          UpdateExpression: 'SET redrives = if_not_exists(redrives, :zero) + :one, lastRedriveAt = :at',
          ConditionExpression: 'attribute_exists(openShard)',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':at': at },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.redrives ?? 0);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }
}
