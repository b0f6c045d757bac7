import { describe, expect, it } from 'vitest';
import { matchSettlements } from './matching.ts';
import { resultRecords } from './result-records.ts';
import { PARTNER, rules, st, tx } from './test-support/rows.ts';

describe('resultRecords', () => {
  it('renders each outcome as plain JSON with money as strings and full lineage', () => {
    // Prepare
    const transaction = tx('t1', 1_000n);
    const settlement = st('s1', 't1', 990n, 10n);
    const result = matchSettlements({
      partner: PARTNER,
      asOf: '2026-11-20',
      transactions: [transaction, tx('t2', 5n)],
      settlements: [settlement, st('s9', 'zz', 7n, 0n, { currency: 'JPY' })],
      rules: rules(),
    });

    // Act
    const records = [...resultRecords(result)];

    // Assess
    expect(records.map((record) => record.outcome)).toEqual(['matched', 'unmatched', 'orphan']);
    expect(records[0]).toEqual({
      outcome: 'matched',
      rule: 'transaction-reference',
      key: 't1',
      shape: '1:1',
      transactions: [
        {
          id: 't1',
          currency: 'EUR',
          amountMinor: '1000',
          businessDate: '2026-11-20',
          fileId: transaction._file_id,
          rowNumber: String(transaction._row_number),
          runId: transaction._run_id,
        },
      ],
      settlements: [
        {
          id: 's1',
          currency: 'EUR',
          amountMinor: '990',
          feeMinor: '10',
          businessDate: '2026-11-20',
          fileId: settlement._file_id,
          rowNumber: String(settlement._row_number),
          runId: settlement._run_id,
        },
      ],
      currency: 'EUR',
      expectedMinor: '1000',
      settledMinor: '1000',
      feeMinor: '10',
      differenceMinor: '0',
    });
    expect(() => records.map((record) => JSON.stringify(record))).not.toThrow();
  });
});
