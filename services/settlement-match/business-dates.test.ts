import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, matchingWindow } from './business-dates.ts';

describe('business dates', () => {
  it.each([
    ['2026-03-01', -1, '2026-02-28'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-29', 1, '2026-03-30'],
  ])('adds days to %s (%i) → %s', (date, days, expected) => {
    // Act / Assess
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ['2026-11-20', '2026-11-23', 3],
    ['2026-11-23', '2026-11-20', -3],
    ['2026-10-24', '2026-10-26', 2],
  ])('counts whole days from %s to %s', (from, to, expected) => {
    // Act / Assess
    expect(daysBetween(from, to)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-1-01', '20261101', '2026-11-01T00:00:00Z', ''])('refuses %j', (date) => {
    // Act / Assess
    expect(() => addDays(date, 0)).toThrow(RangeError);
  });

  it('opens a window of windowDays before asOf, both ends inclusive', () => {
    // Act / Assess
    expect(matchingWindow('2026-11-23', { windowDays: 7 })).toEqual({ from: '2026-11-16', to: '2026-11-23' });
    expect(matchingWindow('2026-11-23', { windowDays: 0 })).toEqual({ from: '2026-11-23', to: '2026-11-23' });
  });
});
