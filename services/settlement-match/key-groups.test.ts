import { describe, expect, it } from 'vitest';
import { resolveKeyGroup, runPass } from './key-groups.ts';
import { rowId } from './rows.ts';
import { BY_REFERENCE, BY_SETTLEMENT_ID, rules, st, tx } from './test-support/rows.ts';

describe('resolveKeyGroup', () => {
  it.each([
    ['1:N without partials', BY_REFERENCE, 1, 2, ['1:1'], 0, 1],
    ['1:N with partials', { ...BY_REFERENCE, partialSettlements: true }, 1, 2, ['1:N'], 0, 0],
    ['N:1 without batches', BY_REFERENCE, 2, 1, ['1:1'], 1, 0],
    ['N:1 with batches', { ...BY_REFERENCE, payoutBatches: true }, 2, 1, ['N:1'], 0, 0],
    [
      'N:M with both',
      { ...BY_REFERENCE, partialSettlements: true, payoutBatches: true },
      2,
      3,
      ['1:1', '1:1'],
      0,
      1,
    ],
  ])('resolves %s', (_name, pass, transactions, settlements, shapes, openTransactions, openSettlements) => {
    // Prepare: every row 100 EUR, so any pair settles 1:1 (shape, not amount, is under test)
    const rows = {
      transactions: Array.from({ length: transactions }, (_, index) => tx(`t${index}`, 100n)),
      settlements: Array.from({ length: settlements }, (_, index) => st(`s${index}`, 'k', 100n, 0n)),
    };

    // Act
    const result = resolveKeyGroup(pass, 'k', rows.transactions, rows.settlements, rules());

    // Assess
    expect(result.decided.map(({ group }) => group.shape)).toEqual(shapes);
    expect(result.openTransactions).toHaveLength(openTransactions);
    expect(result.openSettlements).toHaveLength(openSettlements);
    expect(result.ambiguous.size).toBe(openTransactions + openSettlements);
  });
});

describe('runPass', () => {
  it('leaves rows with an empty key, or a key only one side has, open and not ambiguous', () => {
    // Prepare
    const transactions = [tx('t1', 100n), tx('t2', 100n, { settlement_reference: 'S9' })];
    const settlements = [st('S1', 'x', 100n, 0n)];

    // Act
    const result = runPass(BY_SETTLEMENT_ID, transactions, settlements, rules());

    // Assess
    expect(result.decided).toEqual([]);
    expect(result.openTransactions.map(rowId)).toEqual(transactions.map(rowId));
    expect(result.openSettlements.map(rowId)).toEqual(settlements.map(rowId));
    expect(result.ambiguous.size).toBe(0);
  });
});
