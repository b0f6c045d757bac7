import { describe, expect, it } from 'vitest';
import { amountBreak, rowBreak, stageBreak } from './breaks.ts';

const PAN = '4111111111111111';

describe('reconciliation breaks', () => {
  it.each([
    [
      'a row break',
      rowBreak({
        kind: 'ROWS_LOST_BETWEEN_STAGES',
        fileId: 'f_1',
        check: 'valid = unique + duplicates + conflicts',
        expected: 2,
        actual: 1,
        cause: `row of ${PAN} lost`,
      }),
    ],
    [
      'an amount break',
      amountBreak({
        kind: 'VALID_VS_CURATED_AMOUNT',
        fileId: 'f_1',
        currency: 'JPY',
        check: 'valid = curated',
        expected: 0n,
        actual: BigInt(PAN),
        cause: (shown) => `curated ${shown.actual}, expected ${shown.expected}`,
      }),
    ],
    [
      'a stage break',
      stageBreak({
        kind: 'FILE_NOT_TERMINAL',
        fileId: null,
        check: 'every file terminal',
        expected: 'terminal',
        actual: 'LANDED',
        cause: `file ${PAN}.csv is open`,
      }),
    ],
  ])('masks card numbers in the cause of %s', (_case, found) => {
    // Assess
    expect(found.cause).toContain('1111');
    expect(found.cause).not.toContain(PAN);
  });
});
