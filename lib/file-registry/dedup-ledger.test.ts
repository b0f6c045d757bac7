import { describe, expect, it } from 'vitest';
import { addToDedupLedger, dedupLedgerKey, ledgerEntries } from './dedup-ledger.ts';

describe('dedup ledger', () => {
  it('adds a run to its partner and date as one set element', () => {
    // Act
    const action = addToDedupLedger('files', {
      partner: 'acme-bank',
      businessDate: '2026-11-20',
      fileId: 'f_1',
      runId: 'run_a',
    });

    // Assess
    expect(action.Update).toMatchObject({
      TableName: 'files',
      Key: { pk: 'DEDUPS#acme-bank#2026-11-20', sk: 'LEDGER' },
      UpdateExpression: 'ADD #runs :run',
      ExpressionAttributeValues: { ':run': new Set(['f_1:run_a']) },
    });
  });

  it('reads the entries back in a stable order, and none from a missing item', () => {
    // Prepare
    const record = {
      ...dedupLedgerKey('acme-bank', '2026-11-20'),
      runs: new Set(['f_2:run_b', 'f_1:run_a']),
    };

    // Act
    const entries = ledgerEntries(record);

    // Assess
    expect(entries).toEqual([
      { fileId: 'f_1', runId: 'run_a' },
      { fileId: 'f_2', runId: 'run_b' },
    ]);
    expect(ledgerEntries(undefined)).toEqual([]);
  });
});
