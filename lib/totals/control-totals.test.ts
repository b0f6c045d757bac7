import { describe, expect, it } from 'vitest';
import { parseTrailer } from '../../contracts/datasets/trailer.ts';
import { declaredToJSON, TotalsAccumulator, totalsDifferences } from './control-totals.ts';

function totals(rows: number, sums: [string, bigint][]): TotalsAccumulator {
  const accumulator = new TotalsAccumulator();
  for (let index = 0; index < rows; index += 1) accumulator.countRow();
  for (const [currency, minor] of sums) accumulator.add(currency, minor);
  return accumulator;
}

function declared(rows: string, sums: string) {
  const result = parseTrailer(['TRAILER', rows, sums]);
  if (!result.ok) throw new Error(result.reason);
  return result.totals;
}

describe('TotalsAccumulator', () => {
  it('sums per currency in minor units beyond 2^53, as strings, currencies sorted', () => {
    // Act
    const json = totals(3, [
      ['USD', 9007199254740993n],
      ['EUR', 1n],
      ['USD', 1n],
    ]).toJSON();

    // Assess
    expect(json).toEqual({ rowCount: 3, sums: { EUR: '1', USD: '9007199254740994' } });
    expect(Object.keys(json.sums)).toEqual(['EUR', 'USD']);
  });
});

describe('totalsDifferences', () => {
  it.each([
    [
      'equal totals',
      '2',
      'EUR=1050.25;USD=-3.10',
      totals(2, [
        ['EUR', 105025n],
        ['USD', -310n],
      ]),
      [],
    ],
    ['a declared zero for an absent currency', '1', 'EUR=1.00;USD=0.00', totals(1, [['EUR', 100n]]), []],
    ['a row count off by one', '3', 'EUR=1.00', totals(2, [['EUR', 100n]]), ['rows: trailer 3, file 2']],
    ['a sum off by a cent', '1', 'EUR=1.00', totals(1, [['EUR', 99n]]), ['EUR: trailer 1.00, file 0.99']],
    ['a currency missing from the trailer', '1', '', totals(1, [['JPY', 5n]]), ['JPY: trailer 0, file 5']],
  ])('reports %s', (_name, rows, sums, computed, expected) => {
    // Act / Assess
    expect(totalsDifferences(declared(rows, sums), computed)).toEqual(expected);
  });

  it('renders declared totals in contract shape', () => {
    // Act / Assess
    expect(declaredToJSON(declared('2', 'USD=-3.10;EUR=1050.25'))).toEqual({
      rowCount: 2,
      sums: { EUR: '105025', USD: '-310' },
    });
  });
});
