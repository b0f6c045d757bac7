import { describe, expect, it } from 'vitest';
import { sumByCurrency, summarizeMatch } from './match-summary.ts';
import { matchSettlements } from './matching.ts';
import { BY_REFERENCE, PARTNER, rules, st, tx } from './test-support/rows.ts';

describe('sumByCurrency', () => {
  it('adds in bigint beyond 2^53, currencies in code order', () => {
    // Act / Assess
    expect(
      sumByCurrency([
        ['USD', 9_007_199_254_740_993n],
        ['EUR', -5n],
        ['USD', 1n],
      ]),
    ).toEqual({ EUR: '-5', USD: '9007199254740994' });
  });
});

describe('summarizeMatch', () => {
  it('sums every outcome per currency, totals from the rows read', () => {
    // Prepare
    const transactions = [
      tx('t1', 1_000n),
      tx('t2', 500n, { currency: 'JPY' }),
      tx('t3', 300n),
      tx('t4', 700n),
    ];
    const settlements = [
      st('s1', 't1', 990n, 10n),
      st('s2', 't2', 500n, 0n, { currency: 'USD' }),
      st('s4', 't4', 200n, 0n),
      st('s9', 'zz', 50n, 1n),
    ];
    const read = { transactions, settlements };
    const result = matchSettlements({
      partner: PARTNER,
      asOf: '2026-11-20',
      ...read,
      rules: rules({ passes: [{ ...BY_REFERENCE, partialSettlements: true }] }),
    });

    // Act
    const { sums } = summarizeMatch(result, read);

    // Assess
    expect(sums).toEqual({
      transactions: {
        total: { EUR: '2000', JPY: '500' },
        matched: { EUR: '1000' },
        partiallySettled: { EUR: '700' },
        unmatched: { EUR: '300' },
        mismatched: { JPY: '500' },
      },
      settlementAmounts: {
        total: { EUR: '1240', USD: '500' },
        matched: { EUR: '990' },
        partiallySettled: { EUR: '200' },
        orphan: { EUR: '50' },
        mismatched: { USD: '500' },
      },
      settlementFees: {
        total: { EUR: '11', USD: '0' },
        matched: { EUR: '10' },
        partiallySettled: { EUR: '0' },
        orphan: { EUR: '1' },
        mismatched: { USD: '0' },
      },
      outstanding: { EUR: '500' },
    });
  });
});
