import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  parseSettlementsMatched,
  SettlementsMatchedPayloadSchema,
  SettlementsMatchedV1,
  SettlementsMatchedV2,
  SettlementsMatchedV2PayloadSchema,
} from './settlements-matched.ts';

const parts = {
  bucket: 'b',
  prefix: 'match/acme-bank/dt=2026-11-20/',
  parts: ['match/acme-bank/dt=2026-11-20/part-00000.jsonl'],
};
const counts = {
  transactions: 6,
  settlements: 6,
  matchedGroups: 2,
  matchedTransactions: 3,
  matchedSettlements: 2,
  partiallySettled: 1,
  partiallySettledSettlements: 2,
  unmatchedTransactions: 1,
  agedTransactions: 1,
  orphanSettlements: 1,
  amountMismatches: 1,
  mismatchedTransactions: 1,
  mismatchedSettlements: 1,
};
const settlementSums = {
  total: { EUR: '1000', USD: '5' },
  matched: { EUR: '900' },
  partiallySettled: { EUR: '100' },
  orphan: { USD: '5' },
  mismatched: {},
};
const payload = {
  partner: 'acme-bank',
  businessDate: '2026-11-20',
  window: { from: '2026-11-13', to: '2026-11-20' },
  matchRunId: 'match-01',
  counts,
  sums: {
    transactions: {
      total: { EUR: '1500', JPY: '-3' },
      matched: { EUR: '1000' },
      partiallySettled: { EUR: '300' },
      unmatched: { EUR: '200' },
      mismatched: { JPY: '-3' },
    },
    settlementAmounts: settlementSums,
    settlementFees: { ...settlementSums, total: { EUR: '1000' }, orphan: {} },
    outstanding: { EUR: '200' },
  },
  results: parts,
  inputs: [
    {
      dataset: 'settlements',
      fileId: `f_${'b'.repeat(24)}`,
      businessDate: '2026-11-20',
      runId: 'r1',
      dedupRunId: 'd1',
    },
    {
      dataset: 'transactions',
      fileId: `f_${'a'.repeat(24)}`,
      businessDate: '2026-11-19',
      runId: 'r2',
      dedupRunId: 'd2',
    },
  ],
};

describe('SettlementsMatched v1 payload', () => {
  it('accepts counts and sums that add up', () => {
    // Act / Assess
    expect(SettlementsMatchedPayloadSchema.parse(payload)).toEqual(payload);
  });

  it.each([
    ['a transaction counted nowhere', { counts: { ...counts, transactions: 7 } }, /transactions must equal/],
    [
      'a settlement counted nowhere',
      { counts: { ...counts, orphanSettlements: 2 } },
      /settlements must equal/,
    ],
    ['matched rows without a group', { counts: { ...counts, matchedGroups: 0 } }, /every matched group/],
    [
      'more matched groups than matched settlements',
      { counts: { ...counts, matchedGroups: 3 } },
      /every matched group/,
    ],
    ['more aged than open', { counts: { ...counts, agedTransactions: 3 } }, /agedTransactions counts open/],
    [
      'a transaction amount lost',
      {
        sums: { ...payload.sums, transactions: { ...payload.sums.transactions, unmatched: { EUR: '199' } } },
      },
      /total must equal matched \+ partiallySettled \+ unmatched/,
    ],
    [
      'a settlement currency appearing from nowhere',
      { sums: { ...payload.sums, settlementAmounts: { ...settlementSums, mismatched: { GBP: '1' } } } },
      /total must equal matched \+ partiallySettled \+ orphan/,
    ],
    ['a float amount', { sums: { ...payload.sums, outstanding: { EUR: '2.5' } } }, /Invalid string/],
    [
      'a window ending before businessDate',
      { window: { from: '2026-11-13', to: '2026-11-19' } },
      /window.to must be the businessDate/,
    ],
    [
      'a reversed window',
      { window: { from: '2026-11-21', to: '2026-11-20' } },
      /window.from must not be after/,
    ],
    [
      'an input outside the window',
      { inputs: [{ ...payload.inputs[0], businessDate: '2026-11-12' }] },
      /every input must lie inside the window/,
    ],
    ['the same file twice', { inputs: [payload.inputs[0], payload.inputs[0]] }, /each file is an input once/],
    ['no input', { inputs: [] }, /too_small|>=1/],
  ])('refuses %s', (_name, change, message) => {
    // Act
    const result = SettlementsMatchedPayloadSchema.safeParse({ ...payload, ...change });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.message).toMatch(message);
  });

  it('refuses a malformed amount without throwing from a refinement', () => {
    // Prepare
    const malformed = { ...payload.sums.transactions, total: { EUR: '1e3' } };

    // Act
    const act = () =>
      SettlementsMatchedPayloadSchema.safeParse({
        ...payload,
        sums: { ...payload.sums, transactions: malformed },
      });

    // Assess
    expect(act).not.toThrow();
    expect(act().success).toBe(false);
  });
});

describe('SettlementsMatched v1 event', () => {
  it('validates a full detail', () => {
    // Prepare
    const detail = {
      eventId: randomUUID(),
      type: 'SettlementsMatched',
      version: 1,
      occurredAt: '2026-11-21T06:00:00Z',
      producer: 'settlement-match',
      correlationId: 'acme-bank/2026-11-20',
      causationId: randomUUID(),
      runId: 'match-01',
      data: payload,
    };

    // Act / Assess
    expect(SettlementsMatchedV1.schema.parse(detail)).toEqual(detail);
  });

  it('converts to JSON Schema as the registry does', () => {
    // Act
    const schema = z.toJSONSchema(SettlementsMatchedV1.schema, { io: 'output' }) as unknown as {
      type: string;
      required: string[];
      properties: { data: { required: string[] } };
    };

    // Assess
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['eventId', 'type', 'version', 'data', 'runId']));
    expect(schema.properties.data.required).toEqual(
      expect.arrayContaining(['partner', 'businessDate', 'window', 'counts', 'sums', 'results', 'inputs']),
    );
    expect(() => z.toJSONSchema(SettlementsMatchedPayloadSchema)).not.toThrow();
  });
});

const manifest = {
  bucket: 'b',
  prefix: parts.prefix,
  manifest: `${parts.prefix}_parts-manifest.json`,
  parts: 2400,
  sha256: 'c'.repeat(64),
};

describe('SettlementsMatched v2 payload', () => {
  it.each([
    ['results in a manifest', { results: manifest }],
    ['results listed, as v1', {}],
  ])('accepts %s', (_name, change) => {
    // Act
    const result = SettlementsMatchedV2PayloadSchema.safeParse({ ...payload, ...change });

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ['a ref with both a part list and a manifest', { results: { ...manifest, parts: parts.parts } }],
    ['a ref with neither a part list nor a manifest', { results: { bucket: 'b', prefix: parts.prefix } }],
    ['a manifest without its sha256', { results: { ...manifest, sha256: undefined } }],
    ['a manifest of no part', { results: { ...manifest, parts: 0 } }],
    ['no results', { results: null }],
  ])('refuses %s', (_name, change) => {
    // Act
    const result = SettlementsMatchedV2PayloadSchema.safeParse({ ...payload, ...change });

    // Assess
    expect(result.success).toBe(false);
  });

  it('keeps the window checks of v1', () => {
    // Act
    const result = SettlementsMatchedV2PayloadSchema.safeParse({
      ...payload,
      results: manifest,
      window: { from: '2026-11-13', to: '2026-11-19' },
    });

    // Assess
    expect(result.error?.message).toMatch(/window.to must be the businessDate/);
  });

  it('is refused as v1: a v1 consumer never mistakes a manifest for a part list', () => {
    // Act
    const result = SettlementsMatchedPayloadSchema.safeParse({ ...payload, results: manifest });

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('parseSettlementsMatched', () => {
  const envelope = {
    eventId: '6f1c1d7e-8a3b-4b8e-9a51-2f1f4d7c9e10',
    occurredAt: '2026-11-21T06:00:00Z',
    producer: 'settlement-match',
    correlationId: 'acme-bank:2026-11-20',
    causationId: 'deduplicated',
    runId: 'match-01',
    type: 'SettlementsMatched',
  };

  it.each([
    [1, payload, SettlementsMatchedV1],
    [2, { ...payload, results: manifest }, SettlementsMatchedV2],
  ])('reads a v%i detail by its own version', (version, data, definition) => {
    // Prepare
    const detail = { ...envelope, version, data };

    // Act / Assess
    expect(parseSettlementsMatched(detail)).toEqual(definition.schema.parse(detail));
  });

  it.each([
    ['a manifest announced as v1', { ...envelope, version: 1, data: { ...payload, results: manifest } }],
    ['an unknown version', { ...envelope, version: 3, data: payload }],
    ['no detail', null],
  ])('gives null for %s', (_name, detail) => {
    // Act / Assess
    expect(parseSettlementsMatched(detail)).toBeNull();
  });
});
