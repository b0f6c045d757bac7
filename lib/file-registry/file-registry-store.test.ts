import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dedupRunDayKeys, FILES_BY_DAY_INDEX, fileDayKeys } from './day-index.ts';
import { FileRegistryStore } from './file-registry-store.ts';

/** A document client answering each Query with the next scripted page. */
function scriptedDoc(
  pages: { Items: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }[],
) {
  const sent: Record<string, unknown>[] = [];
  const doc = {
    send: async (command: { input: Record<string, unknown> }) => {
      sent.push(command.input);
      return pages.shift() ?? { Items: [] };
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, sent };
}

const file = {
  fileId: 'f_1',
  partner: 'acme-bank',
  dataset: 'transactions',
  businessDate: '2026-11-20',
} as const;

describe('day index keys', () => {
  it('sorts a file and its dedup runs together under dataset and partner', () => {
    expect(fileDayKeys(file)).toEqual({ day: '2026-11-20', daySort: 'transactions#acme-bank#f_1#FILE' });
    expect(dedupRunDayKeys(file, 'run_1')).toEqual({
      day: '2026-11-20',
      daySort: 'transactions#acme-bank#f_1#DEDUP#run_1',
    });
  });
});

describe('FileRegistryStore.listDay', () => {
  it('reads every page of the day from files-by-day and splits file records from dedup runs', async () => {
    // Prepare
    const { doc, sent } = scriptedDoc([
      {
        Items: [
          { sk: 'DEDUP#run_1', fileId: 'f_1' },
          { sk: 'FILE', fileId: 'f_1' },
        ],
        LastEvaluatedKey: { k: 1 },
      },
      { Items: [{ sk: 'FILE', fileId: 'f_2' }] },
    ]);

    // Act
    const listing = await new FileRegistryStore(doc, 'files').listDay('2026-11-20');

    // Assess
    expect(listing.files.map((item) => item.fileId)).toEqual(['f_1', 'f_2']);
    expect(listing.dedupRuns.map((item) => item.fileId)).toEqual(['f_1']);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      TableName: 'files',
      IndexName: FILES_BY_DAY_INDEX,
      KeyConditionExpression: '#day = :day',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':day': '2026-11-20' },
    });
    expect(sent[1]).toMatchObject({ ExclusiveStartKey: { k: 1 } });
  });

  it.each([
    ['a dataset', { dataset: 'settlements' } as const, ['settlements#']],
    [
      'a dataset and partner',
      { dataset: 'transactions', partner: 'acme-bank' } as const,
      ['transactions#acme-bank#'],
    ],
    [
      'a partner of every dataset',
      { partner: 'acme-bank' },
      ['transactions#acme-bank#', 'settlements#acme-bank#'],
    ],
  ])('narrows to %s with begins_with on daySort', async (_name, filter, prefixes) => {
    // Prepare
    const { doc, sent } = scriptedDoc([]);

    // Act
    await new FileRegistryStore(doc, 'files').listDay('2026-11-20', filter);

    // Assess
    expect(
      sent.map((input) => (input.ExpressionAttributeValues as Record<string, string>)[':prefix']),
    ).toEqual(prefixes);
    for (const input of sent)
      expect(input.KeyConditionExpression).toBe('#day = :day AND begins_with(#daySort, :prefix)');
  });

  it('refuses a business date that is not YYYY-MM-DD', async () => {
    const { doc } = scriptedDoc([]);

    await expect(new FileRegistryStore(doc, 'files').listDay('20261120')).rejects.toThrow(/YYYY-MM-DD/);
  });
});

describe('FileRegistryStore.runHistory', () => {
  it('reads every page of the file history items, strongly consistent, oldest move first', async () => {
    // Prepare
    const { doc, sent } = scriptedDoc([
      { Items: [{ sk: 'RUN#run_b', movedAt: '2026-12-02T00:00:00Z' }], LastEvaluatedKey: { k: 1 } },
      { Items: [{ sk: 'RUN#run_a', movedAt: '2026-12-01T00:00:00Z' }] },
    ]);

    // Act
    const history = await new FileRegistryStore(doc, 'files').runHistory('f_1');

    // Assess
    expect(history.map((item) => item.sk)).toEqual(['RUN#run_a', 'RUN#run_b']);
    expect(sent[0]).toMatchObject({
      TableName: 'files',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
      ExpressionAttributeValues: { ':pk': 'FILE#f_1', ':run': 'RUN#' },
      ConsistentRead: true,
    });
    expect(sent[0]).not.toHaveProperty('IndexName');
    expect(sent[1]).toMatchObject({ ExclusiveStartKey: { k: 1 } });
  });
});
