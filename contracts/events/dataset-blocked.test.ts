import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetBlockedPayloadSchema, DatasetBlockedV1 } from './dataset-blocked.ts';

const failed = {
  name: 'reconciliation:acme-bank',
  detail: 'No reconciliation yet for acme-bank.',
  observed: null,
  threshold: 'balanced, covering every landed file',
};
const payload = {
  dataset: 'settlements',
  businessDate: '2026-11-20',
  runId: 'run_pub_1',
  failedGates: [failed],
  passedGates: [
    { name: 'partners-in-scope', detail: '1 partner(s) in scope: acme-bank.', observed: 1, threshold: 1 },
  ],
};

describe('DatasetBlocked v1 payload', () => {
  it('accepts failed gates with what was seen and what is required', () => {
    expect(DatasetBlockedPayloadSchema.safeParse(payload).error).toBeUndefined();
  });

  it.each([
    ['no failed gate', { failedGates: [] }, /failedGates/],
    ['a gate without detail', { failedGates: [{ ...failed, detail: '' }] }, /detail/],
    ['an unknown dataset', { dataset: 'refunds' }, /dataset/],
  ])('refuses %s', (_name, change, message) => {
    const result = DatasetBlockedPayloadSchema.safeParse({ ...payload, ...change });

    expect(result.success).toBe(false);
    expect(result.error?.message).toMatch(message);
  });

  it('converts to JSON Schema for the registry', () => {
    const schema = z.toJSONSchema(DatasetBlockedV1.schema, { io: 'output' }) as {
      type: string;
      required: string[];
    };

    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['eventId', 'type', 'version', 'data']));
  });
});
