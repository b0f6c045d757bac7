import { describe, expect, it } from 'vitest';
import { dateToEpochDays, instantToMicros } from './fields.ts';

describe('instantToMicros', () => {
  it.each([
    ['1970-01-01T00:00:00Z', 0n],
    ['2024-03-01T10:00:00+01:00', 1709283600000000n],
    ['2024-03-01T10:00:00.5+01:00', 1709283600500000n],
    ['2024-03-01T10:00:00.000001Z', 1709287200000001n],
    ['1969-12-31T23:59:59.999999Z', -1n],
  ])('converts %s to %s µs', (text, expected) => {
    // Act / Assess
    expect(instantToMicros(text)).toBe(expected);
  });
});

describe('dateToEpochDays', () => {
  it.each([
    ['1970-01-01', 0],
    ['2024-03-01', 19783],
  ])('converts %s to day %s', (date, days) => {
    // Act / Assess
    expect(dateToEpochDays(date)).toBe(days);
  });
});

describe('instantToMicros against Date.parse', () => {
  it.each([
    '2024-02-29T23:59:59-05:30',
    '2000-01-01T00:00:00+14:00',
    '2024-03-31T01:30:00.25+02:00',
    '1999-12-31T23:59:59.999Z',
  ])('agrees with Date.parse for %s', (text) => {
    // Act / Assess
    expect(instantToMicros(text)).toBe(BigInt(Date.parse(text)) * 1000n);
  });
});

describe('instants and dates of years 0000-0099', () => {
  it.each([
    ['0050-01-01T00:00:00Z', '0050-01-01T00:00:00Z', 0n],
    ['0000-03-01T00:00:00Z', '0000-03-01T00:00:00Z', 0n],
    ['0099-12-31T23:59:59.999999Z', '0100-01-01T00:00:00Z', -1n],
    ['0001-01-01T00:30:00+01:00', '0000-12-31T23:30:00Z', 0n],
  ])('keeps %s in its own year (never 19xx)', (text, sameAs, plusMicros) => {
    // Act / Assess (Date.parse reads ISO text without shifting years; Date.UTC(50, …) would mean 1950)
    expect(instantToMicros(text)).toBe(BigInt(Date.parse(sameAs)) * 1000n + plusMicros);
  });

  it.each([
    ['0050-01-01', -701265],
    ['0000-03-01', -719468],
  ])('counts %s as day %s', (date, days) => {
    // Act / Assess
    expect(dateToEpochDays(date)).toBe(days);
  });

  it.each(['2024-02-30', '2023-02-29', '2024-13-01', '2024-3-1', '24-03-01', '2024-03-01T00:00:00Z'])(
    'refuses %s as a plain date instead of rolling it over',
    (date) => {
      // Act / Assess
      expect(() => dateToEpochDays(date)).toThrow(/Not a plain date/);
    },
  );
});
