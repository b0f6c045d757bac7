import { describe, expect, it } from 'vitest';
import { outcomeLines, PARTIALS, runMatch as run, st, tx } from './test-support/rows.ts';

describe('matchSettlements over days (late arrivals)', () => {
  const transaction = tx('t1', 10_000n, { business_date: '2026-11-20' });

  it('matches a transaction once a later day brings its settlement, after reporting its age until then', () => {
    // Prepare
    const lateSettlement = st('s1', 't1', 9_800n, 200n, { business_date: '2026-11-23' });

    // Act
    const days = [
      run([transaction], [], {}, '2026-11-20'),
      run([transaction], [], {}, '2026-11-22'),
      run([transaction], [], {}, '2026-11-23'),
      run([transaction], [lateSettlement], {}, '2026-11-23'),
    ];

    // Assess
    expect(days.map(outcomeLines)).toEqual([
      ['unmatched t1 NO_SETTLEMENT age 0'],
      ['unmatched t1 NO_SETTLEMENT age 2'],
      ['unmatched t1 NO_SETTLEMENT age 3 aged'],
      ['matched 1:1 t1 <- s1 EUR 10000/10000 fee 200'],
    ]);
    expect(days.map((day) => day.counts.agedTransactions)).toEqual([0, 0, 1, 0]);
  });

  it('closes a partial settlement when its last instalment arrives late', () => {
    // Prepare
    const first = st('s1', 't1', 4_000n, 0n, { business_date: '2026-11-20' });
    const last = st('s2', 't1', 6_000n, 0n, { business_date: '2026-11-21' });

    // Act
    const before = run([transaction], [first], PARTIALS, '2026-11-20');
    const after = run([transaction], [first, last], PARTIALS, '2026-11-21');

    // Assess
    expect(outcomeLines(before)).toEqual(['partial t1 <- s1 outstanding 6000 age 0']);
    expect(outcomeLines(after)).toEqual(['matched 1:N t1 <- s1+s2 EUR 10000/10000 fee 0']);
  });

  it('matches a late transaction to a settlement that was an orphan the day before', () => {
    // Prepare
    const settlement = st('s1', 't1', 10_000n, 0n, { business_date: '2026-11-20' });
    const late = tx('t1', 10_000n, { business_date: '2026-11-21' });

    // Act / Assess
    expect(outcomeLines(run([], [settlement], {}, '2026-11-20'))).toEqual(['orphan s1 NO_TRANSACTION age 0']);
    expect(outcomeLines(run([late], [settlement], {}, '2026-11-21'))).toEqual([
      'matched 1:1 t1 <- s1 EUR 10000/10000 fee 0',
    ]);
  });
});
