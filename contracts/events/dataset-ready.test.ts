import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetReadyPayloadSchema, DatasetReadyV1 } from './dataset-ready.ts';

const prefix = 'gold/dataset=transactions/dt=2026-11-20/run_id=run_pub_1/';
const payload = {
  dataset: 'transactions',
  businessDate: '2026-11-20',
  schemaV: 1,
  runId: 'run_pub_1',
  gold: { bucket: 'gold', prefix, parts: [`${prefix}part-00000.parquet`] },
  marker: { bucket: 'gold', key: `${prefix}_READY.json` },
  contentHash: 'a'.repeat(64),
  rowCount: 4,
  sums: { EUR: '3000', USD: '-1200' },
  gates: [
    {
      name: 'quarantine-rate:acme-bank',
      detail: '10 of 1000 rows quarantined (1.00%), at most 2.00% allowed.',
      observed: 0.01,
      threshold: 0.02,
    },
    { name: 'reconciliation:acme-bank', detail: 'balanced', observed: 'balanced', threshold: null },
  ],
};

describe('DatasetReady v1 payload', () => {
  it('accepts a gold partition with its marker, content hash, totals and gates', () => {
    expect(DatasetReadyPayloadSchema.safeParse(payload).error).toBeUndefined();
  });

  it.each([
    ['no gate', { gates: [] }, /gates/],
    ['a content hash that is not sha256 hex', { contentHash: 'sha256:abc' }, /contentHash/],
    ['a sum as a float', { sums: { EUR: '30.00' } }, /sums/],
    ['no part', { gold: { bucket: 'gold', prefix, parts: [] } }, /parts/],
  ])('refuses %s', (_name, change, message) => {
    const result = DatasetReadyPayloadSchema.safeParse({ ...payload, ...change });

    expect(result.success).toBe(false);
    expect(result.error?.message).toMatch(message);
  });

  it('converts to JSON Schema for the registry', () => {
    const schema = z.toJSONSchema(DatasetReadyV1.schema, { io: 'output' }) as {
      type: string;
      required: string[];
    };

    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['eventId', 'type', 'version', 'data']));
  });
});
