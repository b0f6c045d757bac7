import { describe, expect, it } from 'vitest';
import type { MatchingRules } from '../../config/matching-rules.ts';
import { MatchInputError, MatchRulesError } from './errors.ts';
import { matchSettlements } from './matching.ts';
import { AS_OF, BY_REFERENCE, rules, runMatch as run, st, tx } from './test-support/rows.ts';

describe('matchSettlements preconditions', () => {
  it.each<[string, () => unknown, RegExp]>([
    [
      'a row of another partner',
      () => run([tx('t1', 1n, { partner: 'globex-pay' })], []),
      /belongs to partner globex-pay/,
    ],
    [
      'a row after asOf',
      () => run([tx('t1', 1n, { business_date: '2026-11-21' })], []),
      /outside 2026-11-13..2026-11-20/,
    ],
    [
      'a row before the window',
      () => run([], [st('s1', 't1', 1n, 0n, { business_date: '2026-11-12' })]),
      /outside/,
    ],
    [
      'the same row twice',
      () => {
        const row = tx('t1', 1n);
        return run([row, row], []);
      },
      /given twice/,
    ],
    [
      'one file read from two runs',
      () => run([tx('t1', 1n), tx('t2', 1n, { _run_id: 'other-run' })], []),
      /read with two lineages/,
    ],
    [
      "another partner's rules",
      () =>
        matchSettlements({
          partner: 'globex-pay',
          asOf: AS_OF,
          transactions: [],
          settlements: [],
          rules: rules(),
        }),
      /rules given are those of acme-bank/,
    ],
  ])('refuses %s', (_name, act, message) => {
    // Act / Assess
    expect(act).toThrow(MatchInputError);
    expect(act).toThrow(message);
  });

  it.each<[string, Partial<MatchingRules>, RegExp]>([
    ['no pass', { passes: [] }, /no matching pass/],
    [
      'a window shorter than the wait',
      { windowDays: 1, settlementWaitDays: 2 },
      /windowDays must be ≥ settlementWaitDays/,
    ],
    ['a negative tolerance', { toleranceMinor: { default: -1n, byCurrency: {} } }, /tolerances must be ≥ 0/],
    ['repeated pass names', { passes: [BY_REFERENCE, BY_REFERENCE] }, /pass names repeat/],
  ])('refuses rules with %s', (_name, overrides, message) => {
    // Act
    const act = () => run([], [], overrides);

    // Assess
    expect(act).toThrow(MatchRulesError);
    expect(act).toThrow(message);
  });
});
