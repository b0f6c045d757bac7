import { describe, expect, it } from 'vitest';
import { inputFiles } from './input-checks.ts';
import { fileIdOf, PARTNER, st, tx } from './test-support/rows.ts';

describe('inputFiles', () => {
  it('lists each file once, by dataset, business date and file id', () => {
    // Prepare
    const transactions = [
      tx('t2', 1n, { business_date: '2026-11-19' }),
      tx('t1', 1n, { business_date: '2026-11-18' }),
      tx('t3', 1n, { business_date: '2026-11-18' }),
    ];
    const settlements = [st('s1', 't1', 1n, 0n, { business_date: '2026-11-20' })];

    // Act
    const files = inputFiles(
      PARTNER,
      '2026-11-20',
      { from: '2026-11-13', to: '2026-11-20' },
      transactions,
      settlements,
    );

    // Assess
    expect(files).toEqual([
      {
        dataset: 'settlements',
        fileId: fileIdOf('settlements', '2026-11-20'),
        businessDate: '2026-11-20',
        runId: 'run-st-2026-11-20',
      },
      {
        dataset: 'transactions',
        fileId: fileIdOf('transactions', '2026-11-18'),
        businessDate: '2026-11-18',
        runId: 'run-tx-2026-11-18',
      },
      {
        dataset: 'transactions',
        fileId: fileIdOf('transactions', '2026-11-19'),
        businessDate: '2026-11-19',
        runId: 'run-tx-2026-11-19',
      },
    ]);
  });
});
