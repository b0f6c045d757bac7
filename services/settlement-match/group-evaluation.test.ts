import { describe, expect, it } from 'vitest';
import { evaluateGroup, settlesWithin, toleranceFor } from './group-evaluation.ts';
import type { MatchGroup } from './match-result.ts';
import { rules, st, tx } from './test-support/rows.ts';

const groupOf = (
  transactions: MatchGroup['transactions'],
  settlements: MatchGroup['settlements'],
): MatchGroup => ({
  rule: 'r',
  key: 'k',
  shape: '1:1',
  transactions,
  settlements,
});

describe('toleranceFor', () => {
  it('prefers the currency tolerance over the default', () => {
    // Prepare
    const money = rules({ toleranceMinor: { default: 2n, byCurrency: { JPY: 0n } } });

    // Act / Assess
    expect([toleranceFor(money, 'JPY'), toleranceFor(money, 'EUR')]).toEqual([0n, 2n]);
  });
});

describe('evaluateGroup', () => {
  it.each([
    ['net: amount + fee = transaction', 'net', 9_900n, 100n, true, 'matched', 0n],
    ['gross: amount = transaction', 'gross', 10_000n, 100n, true, 'matched', 0n],
    ['net: short instalment', 'net', 4_000n, 0n, true, 'partial', -6_000n],
    ['net: short without instalments', 'net', 4_000n, 0n, false, 'mismatch', -6_000n],
    ['net: zero settled is no instalment', 'net', 0n, 0n, true, 'mismatch', -10_000n],
    ['net: opposite sign is no instalment', 'net', -1_000n, 0n, true, 'mismatch', -11_000n],
  ] as const)('decides %s', (_name, feeTreatment, amount, fee, instalments, kind, difference) => {
    // Act
    const outcome = evaluateGroup(
      groupOf([tx('t', 10_000n)], [st('s', 't', amount, fee)]),
      rules({ feeTreatment }),
      instalments,
    );

    // Assess
    expect(outcome.kind).toBe(kind);
    const totals = outcome.kind === 'mismatch' ? outcome.mismatch : outcome.totals;
    expect('differenceMinor' in totals ? totals.differenceMinor : null).toBe(difference);
  });

  it('sums beyond 2^53 without losing a minor unit', () => {
    // Prepare
    const big = 9_007_199_254_740_993n;

    // Act
    const outcome = evaluateGroup(groupOf([tx('t', big)], [st('s1', 't', big - 1n, 0n)]), rules(), false);

    // Assess
    expect(
      outcome.kind === 'mismatch' && outcome.mismatch.cause === 'AMOUNT' && outcome.mismatch.differenceMinor,
    ).toBe(-1n);
  });

  it('never settles across currencies', () => {
    // Act / Assess
    expect(settlesWithin([tx('t', 100n)], [st('s', 't', 100n, 0n, { currency: 'USD' })], rules())).toBe(
      false,
    );
  });
});
