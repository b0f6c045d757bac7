import { describe, expect, it } from 'vitest';
import { countFromEnv, numberFromEnv } from './env.ts';

describe('numberFromEnv', () => {
  it('takes the default when unset or empty, and refuses text that is not a number', () => {
    expect(numberFromEnv('N', 7, {})).toBe(7);
    expect(numberFromEnv('N', 7, { N: '' })).toBe(7);
    expect(numberFromEnv('N', 7, { N: '0.25' })).toBe(0.25);
    expect(() => numberFromEnv('N', 7, { N: 'ten' })).toThrow(
      'Environment variable N="ten" is not a number.',
    );
  });
});

describe('countFromEnv', () => {
  it('reads a whole number of at least the bound, else names the variable and its default', () => {
    expect(countFromEnv('FINLEDGER_X_ROWS', 5_000_000, 1, {})).toBe(5_000_000);
    expect(countFromEnv('FINLEDGER_X_ROWS', 5_000_000, 1, { FINLEDGER_X_ROWS: '150' })).toBe(150);
    expect(countFromEnv('FINLEDGER_X_ABOVE', 350, 0, { FINLEDGER_X_ABOVE: '0' })).toBe(0);
    for (const bad of ['0', '1.5', '-3'])
      expect(() => countFromEnv('FINLEDGER_X_ROWS', 5_000_000, 1, { FINLEDGER_X_ROWS: bad })).toThrow(
        `Environment variable FINLEDGER_X_ROWS=${Number(bad)} must be a whole number of at least 1; unset it for the default, 5000000.`,
      );
  });
});
