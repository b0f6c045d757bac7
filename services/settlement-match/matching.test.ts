import { describe, expect, it } from 'vitest';
import type { MatchingRules } from '../../config/matching-rules.ts';
import type { MatchableSettlement, MatchableTransaction } from './rows.ts';
import {
  BY_REFERENCE,
  BY_SETTLEMENT_ID,
  outcomeLines,
  PARTIALS,
  runMatch as run,
  st,
  tx,
} from './test-support/rows.ts';

const BATCHES = {
  passes: [BY_REFERENCE, { ...BY_SETTLEMENT_ID, name: 'payout-batch', payoutBatches: true }],
};

describe('matchSettlements', () => {
  it.each<[string, MatchableTransaction[], MatchableSettlement[], Partial<MatchingRules>, string[]]>([
    [
      'an exact 1:1 net of its fee',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 9_800n, 200n)],
      {},
      ['matched 1:1 t1 <- s1 EUR 10000/10000 fee 200'],
    ],
    [
      'a complete partial settlement (1:N)',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 5_000n, 100n), st('s2', 't1', 4_800n, 100n)],
      PARTIALS,
      ['matched 1:N t1 <- s1+s2 EUR 10000/10000 fee 200'],
    ],
    [
      'a short partial settlement as open, with what is outstanding',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 5_900n, 100n)],
      PARTIALS,
      ['partial t1 <- s1 outstanding 4000 age 0'],
    ],
    [
      'an over-paid partial settlement as an AMOUNT mismatch',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 5_000n, 0n), st('s2', 't1', 5_001n, 0n)],
      PARTIALS,
      ['mismatch AMOUNT 1:N t1 <- s1+s2 10000/10001 diff 1'],
    ],
    [
      'a short refund instalment on the negative side',
      [tx('r1', -10_000n)],
      [st('s1', 'r1', -4_000n, 0n)],
      PARTIALS,
      ['partial r1 <- s1 outstanding -6000 age 0'],
    ],
    [
      'a payout batch (N:1) in the second pass',
      [tx('t1', 3_000n, { settlement_reference: 'B1' }), tx('t2', 7_000n, { settlement_reference: 'B1' })],
      [st('B1', 'batch-2026-11-20', 9_900n, 100n)],
      BATCHES,
      ['matched N:1 t1+t2 <- B1 EUR 10000/10000 fee 100'],
    ],
    [
      'a short payout batch as an AMOUNT mismatch, never partial',
      [tx('t1', 3_000n, { settlement_reference: 'B1' }), tx('t2', 7_000n, { settlement_reference: 'B1' })],
      [st('B1', 'batch-2026-11-20', 6_900n, 100n)],
      { passes: [{ ...BY_SETTLEMENT_ID, partialSettlements: true, payoutBatches: true }] },
      ['mismatch AMOUNT N:1 t1+t2 <- B1 10000/7000 diff -3000'],
    ],
    [
      'a difference within tolerance as matched',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 9_799n, 200n)],
      { toleranceMinor: { default: 1n, byCurrency: {} } },
      ['matched 1:1 t1 <- s1 EUR 10000/9999 fee 200'],
    ],
    [
      'a difference beyond tolerance as an AMOUNT mismatch',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 9_798n, 200n)],
      { toleranceMinor: { default: 1n, byCurrency: {} } },
      ['mismatch AMOUNT 1:1 t1 <- s1 10000/9998 diff -2'],
    ],
    [
      "a currency's own tolerance over the default",
      [tx('t1', 1_000n, { currency: 'JPY' }), tx('t2', 1_000n)],
      [st('s1', 't1', 1_001n, 0n, { currency: 'JPY' }), st('s2', 't2', 1_001n, 0n)],
      { toleranceMinor: { default: 0n, byCurrency: { JPY: 1n } } },
      ['matched 1:1 t1 <- s1 JPY 1000/1001 fee 0', 'mismatch AMOUNT 1:1 t2 <- s2 1000/1001 diff 1'],
    ],
    [
      'a fee added on top of a gross payout as a FEE mismatch (net rules)',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 10_000n, 200n)],
      {},
      ['mismatch FEE 1:1 t1 <- s1 10000/10200 diff 200'],
    ],
    [
      'a gross payout with its fee charged apart as matched (gross rules)',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 10_000n, 200n)],
      { feeTreatment: 'gross' },
      ['matched 1:1 t1 <- s1 EUR 10000/10000 fee 200'],
    ],
    [
      'a fee deducted from a gross payout as a FEE mismatch (gross rules)',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 9_800n, 200n)],
      { feeTreatment: 'gross' },
      ['mismatch FEE 1:1 t1 <- s1 10000/9800 diff -200'],
    ],
    [
      'a settlement in another currency as a CURRENCY mismatch (no FX in v1)',
      [tx('t1', 10_000n)],
      [st('s1', 't1', 10_000n, 0n, { currency: 'USD' })],
      {},
      ['mismatch CURRENCY t1 <- s1 EUR vs USD'],
    ],
    [
      'a settlement of no known transaction as an orphan',
      [],
      [st('s1', 'unknown', 10_000n, 0n, { business_date: '2026-11-18' })],
      {},
      ['orphan s1 NO_TRANSACTION age 2'],
    ],
    [
      'two transactions claiming one settlement without batches: the one it settles is matched',
      [tx('t1', 5_000n, { settlement_reference: 'S1' }), tx('t2', 10_000n, { settlement_reference: 'S1' })],
      [st('S1', 'x', 9_800n, 200n)],
      { passes: [BY_SETTLEMENT_ID] },
      ['matched 1:1 t2 <- S1 EUR 10000/10000 fee 200', 'unmatched t1 AMBIGUOUS_REFERENCE age 0'],
    ],
    [
      'two equal claimants: the first in canonical order (business date, id) is matched',
      [tx('t2', 10_000n, { settlement_reference: 'S1' }), tx('t1', 10_000n, { settlement_reference: 'S1' })],
      [st('S1', 'x', 10_000n, 0n)],
      { passes: [BY_SETTLEMENT_ID] },
      ['matched 1:1 t1 <- S1 EUR 10000/10000 fee 0', 'unmatched t2 AMBIGUOUS_REFERENCE age 0'],
    ],
    [
      'two claimants neither of which it settles: all stay open, nothing guessed',
      [tx('t1', 5_000n, { settlement_reference: 'S1' }), tx('t2', 6_000n, { settlement_reference: 'S1' })],
      [st('S1', 'x', 10_000n, 0n)],
      { passes: [BY_SETTLEMENT_ID] },
      [
        'unmatched t1 AMBIGUOUS_REFERENCE age 0',
        'unmatched t2 AMBIGUOUS_REFERENCE age 0',
        'orphan S1 AMBIGUOUS_REFERENCE age 0',
      ],
    ],
    [
      'a settlement sent twice without partials: the second is an orphan',
      [tx('t1', 10_000n)],
      [st('s2', 't1', 10_000n, 0n), st('s1', 't1', 10_000n, 0n)],
      {},
      ['matched 1:1 t1 <- s1 EUR 10000/10000 fee 0', 'orphan s2 AMBIGUOUS_REFERENCE age 0'],
    ],
    [
      'N:M pair by pair, never as one group, even with partials and batches allowed',
      [tx('t1', 5_000n, { settlement_reference: 'K' }), tx('t2', 5_000n, { settlement_reference: 'K' })],
      [
        st('s1', 'x', 5_000n, 0n, { payout_batch_id: 'K' }),
        st('s2', 'y', 5_000n, 0n, { payout_batch_id: 'K' }),
      ],
      {
        passes: [
          {
            ...BY_SETTLEMENT_ID,
            settlementField: 'payout_batch_id',
            partialSettlements: true,
            payoutBatches: true,
          },
        ],
      },
      ['matched 1:1 t1 <- s1 EUR 5000/5000 fee 0', 'matched 1:1 t2 <- s2 EUR 5000/5000 fee 0'],
    ],
    [
      'a transaction without a settlement reference sitting out the settlement-id pass',
      [tx('t1', 10_000n)],
      [st('S1', 'x', 10_000n, 0n)],
      { passes: [BY_SETTLEMENT_ID] },
      ['unmatched t1 NO_SETTLEMENT age 0', 'orphan S1 NO_TRANSACTION age 0'],
    ],
    [
      'an open transaction past settlementWaitDays as aged',
      [
        tx('t1', 10_000n, { business_date: '2026-11-17' }),
        tx('t2', 10_000n, { business_date: '2026-11-18' }),
      ],
      [],
      {},
      ['unmatched t1 NO_SETTLEMENT age 3 aged', 'unmatched t2 NO_SETTLEMENT age 2'],
    ],
    [
      'an open transaction on its last day in the window as leaving it',
      [tx('t1', 10_000n, { business_date: '2026-11-13' })],
      [],
      {},
      ['unmatched t1 NO_SETTLEMENT age 7 aged leaves-window'],
    ],
  ])('reports %s', (_name, transactions, settlements, overrides, expected) => {
    // Act
    const result = run(transactions, settlements, overrides);

    // Assess
    expect(outcomeLines(result)).toEqual(expected);
    const { counts } = result;
    expect(
      counts.matchedTransactions +
        counts.partiallySettled +
        counts.unmatchedTransactions +
        counts.mismatchedTransactions,
    ).toBe(transactions.length);
    expect(
      counts.matchedSettlements +
        counts.partiallySettledSettlements +
        counts.orphanSettlements +
        counts.mismatchedSettlements,
    ).toBe(settlements.length);
  });

  it('counts every outcome', () => {
    // Act
    const { counts } = run(
      [
        tx('t1', 100n),
        tx('t2', 100n),
        tx('t3', 100n, { business_date: '2026-11-15' }),
        tx('t4', 100n),
        tx('t5', 100n),
      ],
      [
        st('s1', 't1', 100n, 0n),
        st('s2a', 't2', 40n, 0n),
        st('s2b', 't2', 10n, 0n),
        st('s4', 't4', 1n, 0n),
        st('s9', 'zz', 1n, 0n),
      ],
      PARTIALS,
    );

    // Assess
    expect(counts).toEqual({
      transactions: 5,
      settlements: 5,
      matchedGroups: 1,
      matchedTransactions: 1,
      matchedSettlements: 1,
      partiallySettled: 2,
      partiallySettledSettlements: 3,
      unmatchedTransactions: 2,
      agedTransactions: 1,
      orphanSettlements: 1,
      amountMismatches: 0,
      mismatchedTransactions: 0,
      mismatchedSettlements: 0,
    });
  });

  it('leaves its input rows and arrays untouched', () => {
    // Prepare
    const transactions = Object.freeze([tx('t2', 100n), tx('t1', 100n)].map((row) => Object.freeze(row)));
    const settlements = Object.freeze([st('s1', 't1', 100n, 0n)].map((row) => Object.freeze(row)));

    // Act / Assess
    expect(() => run(transactions, settlements)).not.toThrow();
    expect(transactions.map((row) => row.transaction_id)).toEqual(['t2', 't1']);
  });
});
