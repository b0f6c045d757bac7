import { describe, expect, it } from 'vitest';
import { encodeWindows1252, latin1Bytes } from './encoding.ts';
import { formatMajor, trailerSums } from './money.ts';

describe('formatMajor', () => {
  it.each([
    [105025n, 'EUR', '1050.25'],
    [-310n, 'USD', '-3.10'],
    [5n, 'EUR', '0.05'],
    [-5n, 'EUR', '-0.05'],
    [1500n, 'JPY', '1500'],
    [12345n, 'KWD', '12.345'],
    [7n, 'KWD', '0.007'],
  ])('writes %s minor %s as %s', (minor, currency, expected) => {
    expect(formatMajor(minor, currency)).toBe(expected);
  });
});

describe('trailerSums', () => {
  it('sorts currencies and writes major units', () => {
    expect(
      trailerSums(
        new Map([
          ['USD', -310n],
          ['EUR', 105025n],
        ]),
      ),
    ).toBe('EUR=1050.25;USD=-3.10');
    expect(trailerSums(new Map())).toBe('');
  });
});

describe('encodings', () => {
  it('writes windows-1252 and Latin-1 bytes', () => {
    expect([...encodeWindows1252('€é,a')]).toEqual([0x80, 0xe9, 0x2c, 0x61]);
    expect([...latin1Bytes('café')]).toEqual([0x63, 0x61, 0x66, 0xe9]);
    expect(() => encodeWindows1252('✓')).toThrow(/not in windows-1252/);
  });
});
