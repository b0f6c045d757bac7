import { describe, expect, it } from 'vitest';
import { addDays, cutoffInstant, weekdayOf, zonedWallTimeToInstant } from './cutoff.ts';

describe('zonedWallTimeToInstant', () => {
  it.each([
    // zone, date, time, instant, why
    ['Europe/Berlin', '2026-11-21', '06:00', '2026-11-21T05:00:00.000Z', 'winter, CET +01:00'],
    ['Europe/Berlin', '2026-07-01', '06:00', '2026-07-01T04:00:00.000Z', 'summer, CEST +02:00'],
    ['Europe/Berlin', '2026-03-29', '01:59', '2026-03-29T00:59:00.000Z', 'just before the spring gap'],
    [
      'Europe/Berlin',
      '2026-03-29',
      '02:30',
      '2026-03-29T01:30:00.000Z',
      'in the spring gap: moves to 03:30 CEST',
    ],
    ['Europe/Berlin', '2026-03-29', '03:00', '2026-03-29T01:00:00.000Z', 'just after the spring gap'],
    [
      'Europe/Berlin',
      '2026-10-25',
      '02:30',
      '2026-10-25T00:30:00.000Z',
      'in the autumn overlap: the earlier, CEST',
    ],
    ['Europe/Berlin', '2026-10-25', '03:00', '2026-10-25T02:00:00.000Z', 'after the autumn overlap'],
    ['America/New_York', '2026-11-21', '04:00', '2026-11-21T09:00:00.000Z', 'winter, EST −05:00'],
    [
      'America/New_York',
      '2026-03-08',
      '02:30',
      '2026-03-08T07:30:00.000Z',
      'in the spring gap: moves to 03:30 EDT',
    ],
    [
      'America/New_York',
      '2026-11-01',
      '01:30',
      '2026-11-01T05:30:00.000Z',
      'in the autumn overlap: the earlier, EDT',
    ],
    ['Asia/Tokyo', '2026-11-21', '09:00', '2026-11-21T00:00:00.000Z', 'JST +09:00, no DST'],
    [
      'Asia/Tokyo',
      '2026-01-01',
      '00:00',
      '2025-12-31T15:00:00.000Z',
      'local midnight is the previous UTC day',
    ],
    ['UTC', '2026-11-21', '00:00', '2026-11-21T00:00:00.000Z', 'UTC itself'],
  ])('resolves %s %s %s to %s (%s)', (zone, date, time, instant) => {
    // Act
    const resolved = zonedWallTimeToInstant(date, time, zone);

    // Assess
    expect(resolved.toISOString()).toBe(instant);
  });

  it('refuses a value that is not a plain date and time', () => {
    // Act / Assess
    expect(() => zonedWallTimeToInstant('2026-13-01', '06:00', 'UTC')).toThrow(/Not a plain date/);
  });
});

describe('cutoffInstant', () => {
  it.each([
    ['2026-11-20', 'Europe/Berlin', '2026-11-21T05:00:00.000Z'],
    ['2026-03-28', 'Europe/Berlin', '2026-03-29T04:00:00.000Z'],
    ['2026-10-24', 'Europe/Berlin', '2026-10-25T05:00:00.000Z'],
    ['2026-12-31', 'Asia/Tokyo', '2026-12-31T21:00:00.000Z'],
  ])('puts the 06:00 next-day cut-off of %s in %s at %s', (date, zone, instant) => {
    // Act
    const due = cutoffInstant(date, { daysAfter: 1, localTime: '06:00' }, zone);

    // Assess
    expect(due.toISOString()).toBe(instant);
  });

  it.each([
    ['2026-11-20', 1, '2026-11-21', 5],
    ['2026-12-31', 1, '2027-01-01', 4],
    ['2028-02-28', 1, '2028-02-29', 1],
    ['2026-11-22', 0, '2026-11-22', 0],
  ])('adds %s + %i days = %s, weekday of the input %i', (date, days, expected, weekday) => {
    // Act / Assess
    expect(addDays(date, days)).toBe(expected);
    expect(weekdayOf(date)).toBe(weekday);
  });
});
