import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { datasetCatalog, datasetJsonSchema, findDataset } from './catalog.ts';
import { defineDataset } from './dataset-contract.ts';

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
  });
});
