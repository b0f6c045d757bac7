import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../runtime/testing/helpers.ts';
import { addToDedupLedger } from './dedup-ledger.ts';
import { type DedupRunRecord, dedupRunKey } from './dedup-run-record.ts';
import { FileRegistryStore } from './file-registry-store.ts';
import { fileRecordFixture } from './test-support/file-record.ts';

const DATE = '2026-11-20';

/** A committed dedup run; `indexed: false` leaves out the day keys, as an item the GSI has not caught up with yet. */
function dedupRun(fileId: string, dataset: 'transactions' | 'settlements', indexed: boolean): DedupRunRecord {
  return {
    ...dedupRunKey(fileId, `run_${fileId}`),
    ...(indexed ? { day: DATE, daySort: `${dataset}#acme-bank#${fileId}#DEDUP#run_${fileId}` } : {}),
    fileId,
    runId: `run_${fileId}`,
    partner: 'acme-bank',
    dataset,
    businessDate: DATE,
    schemaV: 1,
    sha256: 'a'.repeat(64),
    counts: { valid: 1, unique: 1, duplicates: 0, conflicts: 0 },
    totals: {} as DedupRunRecord['totals'],
    unique: { bucket: 'silver', prefix: `silver/dedup/${fileId}/`, parts: [] },
    eventId: `00000000-0000-4000-8000-00000000000${fileId.length}`,
    committedAt: '2026-11-20T20:00:00Z',
  } as DedupRunRecord;
}

describe('FileRegistryStore consistent reads on DynamoDB Local', () => {
  let stack: TestStack;
  let doc: DynamoDBDocumentClient;
  let table: string;
  let store: FileRegistryStore;

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'consistent-reads' });
    doc = DynamoDBDocumentClient.from(stack.clients.dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    });
    table = stack.resources.tables.files!.name;
    store = new FileRegistryStore(doc, table);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('committedDedupRuns', () => {
    const commit = (run: DedupRunRecord) =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: table, Item: run } }, addToDedupLedger(table, run)],
        }),
      );

    it('lists the runs the index has, and fetches by key the ones only the ledger names yet', async () => {
      // Prepare: the transactions run is indexed; the settlements run committed a moment later is not yet.
      await commit(dedupRun('f_tx', 'transactions', true));
      await commit(dedupRun('f_st', 'settlements', false));

      // Act
      const runs = await store.committedDedupRuns(DATE, 'acme-bank');

      // Assess
      expect(runs.map((run) => run.fileId).sort()).toEqual(['f_st', 'f_tx']);
      expect(runs.find((run) => run.fileId === 'f_st')?.unique.prefix).toBe('silver/dedup/f_st/');
      expect(await store.committedDedupRuns(DATE, 'globex-pay')).toEqual([]);
    });

    it('says what to do when the ledger names a run whose record is gone', async () => {
      // Prepare: a ledger entry without its record (only a hand edit of the table can do this).
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            addToDedupLedger(table, {
              partner: 'initech-acq',
              businessDate: DATE,
              fileId: 'f_x',
              runId: 'run_x',
            }),
          ],
        }),
      );

      // Act
      const attempt = store.committedDedupRuns(DATE, 'initech-acq');

      // Assess
      await expect(attempt).rejects.toThrow(/names run run_x of file f_x.*replay that file's FileValidated/);
    });

    it('keeps runs listed by the index that predate the ledger', async () => {
      // Prepare: a run recorded before ledgers existed (indexed, in no ledger).
      await doc.send(new PutCommand({ TableName: table, Item: dedupRun('f_old', 'transactions', true) }));

      // Act
      const runs = await store.committedDedupRuns(DATE, 'acme-bank');

      // Assess
      expect(runs.map((run) => run.fileId).sort()).toEqual(['f_old', 'f_st', 'f_tx']);
    });
  });

  describe('listDayConsistent', () => {
    const DAY = '2026-11-21';
    const settlementsFile = (n: number) =>
      fileRecordFixture(`f_s${String(n).padStart(3, '0')}`, {
        dataset: 'settlements',
        businessDate: DAY,
        day: DAY,
        daySort: `settlements#acme-bank#f_s${String(n).padStart(3, '0')}#FILE`,
        stage: 'VALIDATED',
        runId: `run_s${n}`,
      });

    it('reads every listed file and its current dedup run by key, past 100 keys, even one the index lacks', async () => {
      // Prepare: 130 validated files; each current run's dedup record is written without day keys (not indexed yet),
      // and one file has an older run's dedup record too, which is not its current one.
      const files = Array.from({ length: 130 }, (_, n) => settlementsFile(n));
      for (const file of files) {
        await doc.send(new PutCommand({ TableName: table, Item: file }));
        await doc.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...dedupRun(file.fileId, 'settlements', false),
              ...dedupRunKey(file.fileId, file.runId),
              runId: file.runId,
              businessDate: DAY,
            },
          }),
        );
      }
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...dedupRun('f_s000', 'settlements', false),
            ...dedupRunKey('f_s000', 'run_old'),
            runId: 'run_old',
          },
        }),
      );

      // Act
      const indexOnly = await store.listDay(DAY, { dataset: 'settlements', partner: 'acme-bank' });
      const consistent = await store.listDayConsistent(DAY, { dataset: 'settlements', partner: 'acme-bank' });

      // Assess
      expect(indexOnly.dedupRuns).toEqual([]);
      expect(consistent.files.map((file) => file.fileId).sort()).toEqual(files.map((file) => file.fileId));
      expect(consistent.dedupRuns.map((run) => `${run.fileId}:${run.runId}`).sort()).toEqual(
        files.map((file) => `${file.fileId}:${file.runId}`),
      );
    });

    it('gives each file as the table has it now, not as the index listed it', async () => {
      // Prepare: a file listed as LANDED that closes before the consistent read.
      const open = fileRecordFixture('f_open', {
        businessDate: '2026-11-22',
        day: '2026-11-22',
        daySort: 'transactions#acme-bank#f_open#FILE',
      });
      await doc.send(new PutCommand({ TableName: table, Item: open }));
      const listed = await store.listDay('2026-11-22');
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: { ...open, stage: 'REJECTED', rejection: { code: 'EMPTY_FILE', reason: 'empty' } },
        }),
      );

      // Act
      const consistent = await store.listDayConsistent('2026-11-22');

      // Assess
      expect(listed.files.map((file) => file.stage)).toEqual(['LANDED']);
      expect(consistent.files).toMatchObject([{ fileId: 'f_open', stage: 'REJECTED' }]);
    });
  });
});
