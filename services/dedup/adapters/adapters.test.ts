import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { RecordsDeduplicatedV1 } from '../../../contracts/events/catalog.ts';
import { createEvent } from '../../../lib/outbox/event-factory.ts';
import { DedupCommitConflictError } from '../errors.ts';
import { type DedupCommit, dynamoDedupCommitter } from './dynamo-dedup-committer.ts';

/** A document client answering each send with the next scripted response (an Error is thrown). */
function scriptedDoc(responses: unknown[]) {
  const sent: { input: Record<string, unknown> }[] = [];
  const doc = {
    send: async (command: { input: Record<string, unknown> }) => {
      sent.push(command);
      const next = responses.shift();
      if (next instanceof Error) throw next;
      return next ?? {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, sent };
}

const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((reason) => ({
      Code: reason.Code,
      ...(reason.Item ? { Item: marshall(reason.Item) } : {}),
    })),
  });

const FILE_ID = 'f_0123456789abcdef01234567';
const EVENT_ID = '00000000-0000-4000-8000-000000000001';
const commit: DedupCommit = {
  event: createEvent(
    RecordsDeduplicatedV1,
    { producer: 'dedup', correlationId: 'c', causationId: 'v-1', runId: 'run_1', eventId: EVENT_ID },
    {
      fileId: FILE_ID,
      partner: 'acme-bank',
      dataset: 'transactions',
      businessDate: '2026-11-20',
      schemaV: 1,
      sha256: 'b'.repeat(64),
      counts: { valid: 2, unique: 1, duplicates: 1, conflicts: 0 },
      totals: {
        unique: { rowCount: 1, sums: { EUR: '1000' } },
        duplicates: { rowCount: 1, sums: { EUR: '1000' } },
        conflicts: { rowCount: 0, sums: {} },
      },
      unique: { bucket: 'silver', prefix: 'silver/dedup/x/', parts: ['silver/dedup/x/part-00000.parquet'] },
      duplicates: {
        bucket: 'q',
        prefix: 'quarantine/dedup/x/',
        parts: ['quarantine/dedup/x/rows-00000.jsonl'],
      },
      conflicts: null,
    },
  ),
};

describe('dynamoDedupCommitter', () => {
  const tables = { files: 'files', outbox: 'outbox' };

  it('records the run, checks the file was validated by it and puts the event, in one transaction', async () => {
    // Prepare
    const { doc, sent } = scriptedDoc([{}]);

    // Act
    const result = await dynamoDedupCommitter(doc, tables)(commit);

    // Assess
    expect(result).toBe('committed');
    const items = sent[0]?.input.TransactItems as Record<
      string,
      { TableName: string } & Record<string, unknown>
    >[];
    expect(items.map((item) => Object.keys(item)[0])).toEqual(['Put', 'ConditionCheck', 'Update', 'Put']);
    expect(items[0]?.Put).toMatchObject({
      TableName: 'files',
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[0]?.Put?.Item).toEqual({
      pk: `FILE#${FILE_ID}`,
      sk: 'DEDUP#run_1',
      day: '2026-11-20',
      daySort: `transactions#acme-bank#${FILE_ID}#DEDUP#run_1`,
      fileId: FILE_ID,
      runId: 'run_1',
      partner: 'acme-bank',
      dataset: 'transactions',
      businessDate: '2026-11-20',
      schemaV: 1,
      sha256: 'b'.repeat(64),
      counts: commit.event.data.counts,
      totals: commit.event.data.totals,
      unique: commit.event.data.unique,
      eventId: EVENT_ID,
      committedAt: commit.event.occurredAt,
    });
    expect(items[1]?.ConditionCheck).toMatchObject({
      Key: { pk: `FILE#${FILE_ID}`, sk: 'FILE' },
      ExpressionAttributeValues: { ':validated': 'VALIDATED', ':runId': 'run_1' },
    });
    expect(items[2]?.Update).toMatchObject({
      TableName: 'files',
      Key: { pk: 'DEDUPS#acme-bank#2026-11-20', sk: 'LEDGER' },
      ExpressionAttributeValues: { ':run': new Set([`${FILE_ID}:run_1`]) },
    });
    expect(items[3]?.Put?.TableName).toBe('outbox');
  });

  it('uses one request token per event, so a redelivery after a commit reaches the condition', async () => {
    // Prepare: DynamoDB refuses a token reused with another payload (IdempotentParameterMismatchException).
    const { doc, sent } = scriptedDoc([{}, {}]);
    const committer = dynamoDedupCommitter(doc, tables);

    // Act
    await committer(commit);
    await committer({ event: { ...commit.event, eventId: 'e-2' } });

    // Assess
    const tokens = sent.map((command) => command.input.ClientRequestToken);
    expect(tokens[0]).toBeDefined();
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it('treats a run that already committed as done, without a second event', async () => {
    const { doc } = scriptedDoc([
      cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }]),
    ]);

    await expect(dynamoDedupCommitter(doc, tables)(commit)).resolves.toBe('already-committed');
  });

  it('refuses an event of a run that does not own the validated file', async () => {
    const { doc } = scriptedDoc([
      cancelled([
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Item: { stage: 'VALIDATED', runId: 'run_2' } },
        { Code: 'None' },
      ]),
    ]);

    await expect(dynamoDedupCommitter(doc, tables)(commit)).rejects.toBeInstanceOf(DedupCommitConflictError);
  });

  it('rethrows a cancellation for any other reason', async () => {
    const error = cancelled([
      { Code: 'ConditionalCheckFailed' },
      { Code: 'None' },
      { Code: 'TransactionConflict' },
    ]);
    const { doc } = scriptedDoc([error]);

    await expect(dynamoDedupCommitter(doc, tables)(commit)).rejects.toBe(error);
  });
});
