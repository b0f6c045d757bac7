import { describe, expect, it } from 'vitest';
import { SettlementsV1, TransactionsV1 } from '../../contracts/datasets/catalog.ts';
import type { DatasetContract } from '../../contracts/datasets/dataset-contract.ts';
import { quarantineRow } from './quarantine-row.ts';

const FILE = {
  fileId: 'f_1',
  partner: 'globex-pay',
  dataset: 'transactions',
  businessDate: '2026-11-23',
  fileOutcome: 'VALIDATED',
};
const transactions = TransactionsV1 as unknown as DatasetContract;
const entry = (field: string | null, maskedLine: string) => ({
  rowNumber: 4,
  field,
  reason: `${field ?? 'record'} is wrong`,
  maskedLine,
});

describe('quarantineRow', () => {
  it('reads the id and the failing value from the stored record, quotes and all', () => {
    // Act
    const row = quarantineRow(
      FILE,
      entry('amount', '"=HYPERLINK(""http://x"")",payment,-1+2,EUR,2026-11-23T10:00:00Z,m_1,,'),
      transactions,
    );

    // Assess
    expect(row).toMatchObject({ rowId: '=HYPERLINK("http://x")', value: '-1+2', rowNumber: 4 });
  });

  it('keeps masked card digits masked', () => {
    // Act
    const row = quarantineRow(
      FILE,
      entry('merchant_id', 'tx_1,payment,1.00,EUR,2026-11-23T10:00:00Z,m_************4444x,,'),
      transactions,
    );

    // Assess
    expect(row.value).toBe('m_************4444x');
  });

  it.each([
    ['a ragged record', 'tx_1,payment,"a, ""b""\nc"'],
    ['a record that does not read back as CSV', 'tx_1,"open'],
  ])('gives %s no id and no value, only the record', (_name, maskedLine) => {
    // Act
    const row = quarantineRow(FILE, entry(null, maskedLine), transactions);

    // Assess
    expect(row).toMatchObject({ rowId: null, value: null, record: maskedLine, reasonCode: 'INVALID_RECORD' });
  });

  it("takes the id from the dataset's own natural key", () => {
    // Prepare
    const line = SettlementsV1.columns.map((column) => `v_${column}`).join(',');

    // Act
    const row = quarantineRow(
      { ...FILE, dataset: 'settlements' },
      entry('fee', line),
      SettlementsV1 as unknown as DatasetContract,
    );

    // Assess
    expect(row).toMatchObject({ rowId: 'v_settlement_id', value: 'v_fee' });
  });
});
