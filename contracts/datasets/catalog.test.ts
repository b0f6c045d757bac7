import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { datasetCatalog, datasetJsonSchema, findDataset } from './catalog.ts';
import { defineDataset } from './dataset-contract.ts';
import { parseMinorUnits } from './money.ts';

/** One valid CSV row per dataset, with an amount unlike any other money column of the row. */
const SAMPLE_ROWS: Readonly<Record<string, Record<string, string>>> = {
  transactions: {
    transaction_id: 'tx-1',
    type: 'refund',
    amount: '-10.50',
    currency: 'EUR',
    occurred_at: '2026-11-20T10:00:00+01:00',
    merchant_id: 'm-1',
    settlement_reference: '',
    card_number: '',
  },
  settlements: {
    settlement_id: 's-1',
    transaction_reference: 'tx-1',
    amount: '1500',
    fee: '12',
    currency: 'JPY',
    settled_at: '2026-11-20T10:00:00Z',
    payout_batch_id: '',
  },
};

describe('datasetCatalog', () => {
  it.each(datasetCatalog.map((contract) => [`${contract.name} v${contract.version}`, contract] as const))(
    'emits a JSON Schema for %s listing every column as a required string',
    (_name, contract) => {
      // Act
      const schema = z.toJSONSchema(contract.rowSchema) as {
        properties: Record<string, { type: string }>;
        required: string[];
      };

      // Assess
      expect(Object.keys(schema.properties)).toEqual(contract.columns);
      expect(schema.required).toEqual(contract.columns);
      expect(Object.values(schema.properties).every((property) => property.type === 'string')).toBe(true);
    },
  );

  it.each(datasetCatalog.map((contract) => [`${contract.name} v${contract.version}`, contract] as const))(
    'writes the control amount and currency of %s to its declared silver columns',
    (_name, contract) => {
      // Prepare
      const row = contract.rowSchema.parse(SAMPLE_ROWS[contract.name]);
      const cardTokens = () => ({ bin: '411111', last4: '1111', fingerprint: 'f'.repeat(64) });
      const indexOf = (name: string) => contract.silverColumns.findIndex((column) => column.name === name);

      // Act
      const values = contract.toSilver(row, { cardTokens });

      // Assess
      const currency = row[contract.control.currencyColumn] as string;
      const money = parseMinorUnits(row[contract.control.amountColumn] as string, currency);
      expect(money.ok && values[indexOf(contract.control.silverAmountColumn)]).toBe(money.ok && money.minor);
      expect(values[indexOf(contract.control.silverCurrencyColumn)]).toBe(currency);
    },
  );

  it('adds the contract metadata to the JSON Schema', () => {
    // Prepare
    const contract = findDataset('transactions', 1);

    // Act
    const schema = contract && datasetJsonSchema(contract);

    // Assess
    expect(schema).toMatchObject({
      title: 'transactions v1',
      'x-finledger': { naturalKey: ['partner', 'transaction_id'] },
    });
    expect(JSON.stringify(schema)).toContain('_file_sha256');
  });

  it('finds nothing for an unknown version', () => {
    // Act / Assess
    expect(findDataset('transactions', 99)).toBeUndefined();
  });

  it('refuses an inconsistent contract', () => {
    // Prepare
    const [transactions] = datasetCatalog;

    // Act / Assess
    expect(() => transactions && defineDataset({ ...transactions, naturalKey: ['partner', 'nope'] })).toThrow(
      /natural key field nope/,
    );
    expect(
      () =>
        transactions &&
        defineDataset({
          ...transactions,
          control: { ...transactions.control, silverAmountColumn: 'currency' },
        }),
    ).toThrow(/control silver amount column currency is not an INT64 column/);
  });

  it.each([
    [
      { columns: ['nope'], window: { earliest: '2000-01-01T00:00:00Z', yearsAfterBusinessDate: 10 } },
      /unknown instant column nope/,
    ],
    [
      { columns: [], window: { earliest: '2000-01-01', yearsAfterBusinessDate: 10 } },
      /non-instant 2000-01-01/,
    ],
    [
      { columns: [], window: { earliest: '2000-01-01T00:00:00Z', yearsAfterBusinessDate: 0.5 } },
      /whole number of years/,
    ],
  ])('refuses an instant window that cannot be applied (%j)', (instants, problem) => {
    // Prepare
    const [transactions] = datasetCatalog;

    // Act / Assess
    expect(() => transactions && defineDataset({ ...transactions, instants })).toThrow(problem);
  });
});
