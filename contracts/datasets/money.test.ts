import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMinorUnits, parseMinorUnits } from './money.ts';

describe('parseMinorUnits', () => {
  it.each([
    ['1050.25', 'EUR', 105025n],
    ['10.5', 'EUR', 1050n],
    ['0', 'EUR', 0n],
    ['0.01', 'USD', 1n],
    ['-3.10', 'USD', -310n],
    ['1234', 'JPY', 1234n],
    ['-500', 'JPY', -500n],
    ['1.234', 'KWD', 1234n],
    ['0.5', 'KWD', 500n],
    ['1.2345', 'CLF', 12345n],
    ['92233720368547758.07', 'EUR', 9223372036854775807n],
    ['-92233720368547758.07', 'EUR', -9223372036854775807n],
    ['90071992547409.93', 'USD', 9007199254740993n],
  ])('parses %s %s into %s minor units', (text, currency, expected) => {
    // Act
    const result = parseMinorUnits(text, currency);

    // Assess
    expect(result).toEqual({ ok: true, minor: expected });
  });

  it.each([
    ['1e3', 'EUR', 'plain decimal'],
    ['1E3', 'EUR', 'plain decimal'],
    ['0x10', 'EUR', 'plain decimal'],
    ['1,000.00', 'EUR', 'plain decimal'],
    ['1 000.00', 'EUR', 'plain decimal'],
    ['1_000', 'EUR', 'plain decimal'],
    ['+5.00', 'EUR', 'plain decimal'],
    [' 5.00', 'EUR', 'plain decimal'],
    ['5.00 ', 'EUR', 'plain decimal'],
    ['', 'EUR', 'plain decimal'],
    ['NaN', 'EUR', 'plain decimal'],
    ['Infinity', 'EUR', 'plain decimal'],
    ['-Infinity', 'EUR', 'plain decimal'],
    ['.5', 'EUR', 'plain decimal'],
    ['5.', 'EUR', 'plain decimal'],
    ['007', 'EUR', 'plain decimal'],
    ['--5', 'EUR', 'plain decimal'],
    ['5,00', 'EUR', 'plain decimal'],
    ['１２', 'EUR', 'plain decimal'],
    ['1.001', 'EUR', 'at most 2'],
    ['100.0', 'JPY', 'at most 0'],
    ['1.2345', 'KWD', 'at most 3'],
    ['1.23456', 'CLF', 'at most 4'],
    ['-0', 'EUR', 'negative zero'],
    ['-0.00', 'EUR', 'negative zero'],
    ['92233720368547758.08', 'EUR', 'out of the 64-bit'],
    ['1.00', 'XXX', 'not a known ISO 4217'],
    ['1.00', 'eur', 'not a known ISO 4217'],
    ['1.00', '', 'not a known ISO 4217'],
    ['1.00', 'toString', 'not a known ISO 4217'],
  ])('refuses %j %s', (text, currency, reason) => {
    // Act
    const result = parseMinorUnits(text, currency);

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});

describe('currencyExponent', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['EUR', 2],
    ['USD', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
    ['XXX', undefined],
    ['__proto__', undefined],
  ])('gives %s exponent %s', (code, exponent) => {
    // Act / Assess
    expect(currencyExponent(code)).toBe(exponent);
  });
});

describe('formatMinorUnits', () => {
  it.each([
    [-310n, 'USD', '-3.10'],
    [5n, 'EUR', '0.05'],
    [1234n, 'JPY', '1234'],
    [1n, 'CLF', '0.0001'],
    [-1500n, 'KWD', '-1.500'],
  ] as const)('formats %s %s as %s', (minor, currency, expected) => {
    // Act / Assess
    expect(formatMinorUnits(minor, currency)).toBe(expected);
  });

  it('round-trips with parseMinorUnits', () => {
    // Prepare
    const text = '-92233720368547758.07';

    // Act
    const parsed = parseMinorUnits(text, 'EUR');

    // Assess
    expect(parsed.ok && formatMinorUnits(parsed.minor, 'EUR')).toBe(text);
  });
});
