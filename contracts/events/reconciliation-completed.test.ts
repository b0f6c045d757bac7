import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ReconciliationCompletedPayloadSchema,
  ReconciliationCompletedV1,
} from './reconciliation-completed.ts';

const amountBreak = {
  kind: 'VALID_VS_CURATED_AMOUNT',
  fileId: 'f_0123456789abcdef01234567',
  currency: 'EUR',
  check: 'valid sum = unique + duplicates + conflicts sums',
  expected: '150000',
  actual: '149999',
  differenceRows: null,
  differenceMinor: '-1',
  cause: 'The valid rows sum to 1500.00 EUR, curated 1499.99 EUR.',
};
const rowBreak = {
  kind: 'CONSERVATION',
  fileId: 'f_0123456789abcdef01234567',
  currency: null,
  check: 'valid = unique + duplicates + conflicts',
  expected: '9',
  actual: '8',
  differenceRows: -1,
  differenceMinor: null,
  cause: 'dedup took in 9 rows but classified 8.',
};
const payload = {
  partner: 'acme-bank',
  dataset: 'transactions',
  businessDate: '2026-11-20',
  reconRunId: 'run_recon',
  balanced: false,
  totals: {
    rows: {
      files: { landed: 1, declared: 1, validated: 1, rejected: 0, deduplicated: 1 },
      landedLines: 11,
      landedBytes: 1200,
      declared: 10,
      read: 10,
      valid: 9,
      quarantined: 1,
      heldBack: 0,
      unique: 6,
      duplicates: 1,
      conflicts: 1,
    },
    amounts: {
      EUR: {
        declared: '160000',
        read: '160000',
        valid: '150000',
        quarantined: '10000',
        unique: '119999',
        duplicates: '10000',
        conflicts: '20000',
      },
    },
  },
  breaks: [amountBreak, rowBreak],
  inputs: {
    files: [
      {
        fileId: 'f_0123456789abcdef01234567',
        status: 'DEDUPLICATED',
        landingRunId: 'run_land',
        validationRunId: 'run_val',
        dedupRunId: 'run_dedup',
        supersededBy: null,
      },
    ],
  },
};

describe('ReconciliationCompleted v1 payload', () => {
  it('accepts breaks with their figures and a ledger per stage', () => {
    expect(ReconciliationCompletedPayloadSchema.safeParse(payload).error).toBeUndefined();
  });

  it.each([
    ['balanced with breaks', { balanced: true }, /balanced must be true exactly when there is no break/],
    ['unbalanced without breaks', { breaks: [] }, /balanced must be true exactly when there is no break/],
    [
      'an amount break without currency',
      { breaks: [{ ...amountBreak, currency: null }] },
      /amount breaks carry currency/,
    ],
    [
      'a row break with an amount',
      { breaks: [{ ...rowBreak, differenceMinor: '5' }] },
      /row breaks carry neither/,
    ],
    ['money as a float', { breaks: [{ ...amountBreak, differenceMinor: '-0.01' }] }, /differenceMinor/],
    ['an unknown break kind', { breaks: [{ ...rowBreak, kind: 'SOMETHING' }] }, /kind/],
  ])('refuses %s', (_name, change, message) => {
    const result = ReconciliationCompletedPayloadSchema.safeParse({ ...payload, ...change });

    expect(result.success).toBe(false);
    expect(result.error?.message).toMatch(message);
  });

  it('converts to JSON Schema for the registry', () => {
    const schema = z.toJSONSchema(ReconciliationCompletedV1.schema, { io: 'output' }) as {
      type: string;
      required: string[];
    };

    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['eventId', 'type', 'version', 'data']));
  });
});
