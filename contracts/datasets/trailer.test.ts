import { describe, expect, it } from 'vitest';
import { parseTrailer } from './trailer.ts';

describe('parseTrailer', () => {
  it.each([
    [['TRAILER', '2', 'EUR=1050.25;USD=-3.10'], 2, { EUR: 105025n, USD: -310n }],
    [['TRAILER', '0', ''], 0, {}],
    [['TRAILER', '3', 'JPY=1500'], 3, { JPY: 1500n }],
    [['TRAILER', '1', 'KWD=1.250'], 1, { KWD: 1250n }],
  ])('reads %j', (fields, rowCount, sums) => {
    // Act
    const result = parseTrailer(fields);

    // Assess
    expect(result.ok).toBe(true);
    expect(result.ok && result.totals.rowCount).toBe(rowCount);
    expect(result.ok && Object.fromEntries(result.totals.sums)).toEqual(sums);
  });

  it.each([
    [['TRAILER', '2'], '3 fields'],
    [['TRAILER', '2', 'EUR=1', 'x'], '3 fields'],
    [['TRAILER', '-1', ''], 'row count'],
    [['TRAILER', '1e3', ''], 'row count'],
    [['TRAILER', '02', ''], 'row count'],
    [['TRAILER', '2', 'EUR'], 'CUR=amount'],
    [['TRAILER', '2', 'EUR=1=2'], 'CUR=amount'],
    [['TRAILER', '2', 'EUR=1.00;EUR=2.00'], 'twice'],
    [['TRAILER', '2', 'ABC=1.00'], 'ISO 4217'],
    [['TRAILER', '2', 'EUR=1.001'], 'at most 2'],
    [['TRAILER', '2', 'EUR=1e3'], 'plain decimal'],
    [['TRAILER', '2', 'EUR=1.00;'], 'CUR=amount'],
  ])('refuses %j', (fields, reason) => {
    // Act
    const result = parseTrailer(fields);

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});
