import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INSTANT_WINDOW,
  daysFromCivil,
  InstantTextSchema,
  instantProblem,
  instantWindowCheck,
  isRealCalendarDate,
} from './instants.ts';

describe('instantProblem', () => {
  it.each([
    '2024-03-01T10:00:00Z',
    '2024-03-01T10:00:00.5+01:00',
    '2024-03-01T10:00:00.123456-05:30',
    '2024-02-29T23:59:59Z',
    '2000-02-29T00:00:00Z',
    '2024-03-01T10:00:00+14:00',
    '2024-03-01T10:00:00-14:00',
    '2024-03-01T10:00:00-00:00',
    '0050-01-01T00:00:00Z',
  ])('accepts %s', (text) => {
    // Act / Assess
    expect(instantProblem(text)).toBeNull();
  });

  it.each([
    ['2024-03-01T10:00:00', 'has no offset (Z or ±hh:mm): a local time cannot be placed in time'],
    ['2024-03-01T10:00:00.1234567Z', 'has more than 6 fractional second digits'],
    ['2026-02-30T10:00:00Z', 'is not a real calendar date'],
    ['2023-02-29T10:00:00Z', 'is not a real calendar date'],
    ['1900-02-29T10:00:00Z', 'is not a real calendar date'],
    ['2024-04-31T10:00:00Z', 'is not a real calendar date'],
    ['2024-13-01T10:00:00Z', 'is not a real calendar date'],
    ['2024-00-10T10:00:00Z', 'is not a real calendar date'],
    ['2024-03-00T10:00:00Z', 'is not a real calendar date'],
    ['2024-03-01T24:00:00Z', 'has an hour above 23'],
    ['2024-03-01T10:60:00Z', 'has a minute above 59'],
    ['2016-12-31T23:59:60Z', 'has a leap second (:60), which finledger does not accept'],
    ['2024-03-01T10:00:61Z', 'has a second above 59'],
    ['2024-03-01T10:00:00+01:60', 'has an offset whose minutes are above 59'],
    ['2024-03-01T10:00:00+14:01', 'has an offset beyond ±14:00'],
    ['2024-03-01T10:00:00-18:00', 'has an offset beyond ±14:00'],
  ])('refuses %s: %s', (text, reason) => {
    // Act / Assess
    expect(instantProblem(text)).toContain(reason);
  });

  it.each([
    '24-03-01T10:00:00Z',
    '+002024-03-01T10:00:00Z',
    '2024-03-01 10:00:00Z',
    '2024-03-01t10:00:00z',
    '2024-03-01T10:00Z',
    '2024-03-01T10:00:00.Z',
    '2024-03-01T10:00:00+0100',
    '2024-03-01T10:00:00+01',
    '20240301T100000Z',
    '２０２４-03-01T10:00:00Z',
    '',
  ])('refuses %j as not an ISO 8601 date-time of the accepted form', (text) => {
    // Act / Assess
    expect(instantProblem(text)).toMatch(/^must be an ISO 8601 date-time with a four-digit year/);
  });
});

describe('InstantTextSchema', () => {
  it('reports the precise problem first, never the value', () => {
    // Act
    const result = InstantTextSchema.safeParse('2026-02-30T10:00:00Z');

    // Assess
    expect(result.error?.issues[0]?.message).toBe('is not a real calendar date');
    expect(JSON.stringify(result.error?.issues.map((issue) => issue.message))).not.toContain('2026');
  });

  it('reports a hidden character before the shape', () => {
    // Act / Assess
    expect(InstantTextSchema.safeParse('2024-03-01T10:00:00Z\u200b').error?.issues[0]?.message).toBe(
      'contains a zero-width character (U+200B)',
    );
  });
});

describe('daysFromCivil and isRealCalendarDate', () => {
  it('agree with Date.parse on every day from year 0 to 2400 that is real, sampled every 13 days', () => {
    // Prepare
    const mismatches: string[] = [];

    // Act
    for (let day = Date.parse('0000-01-01T00:00:00Z') / 86_400_000; day < 157_000; day += 13) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      const [year, month, dayOfMonth] = [
        Number(iso.slice(0, 4)),
        Number(iso.slice(5, 7)),
        Number(iso.slice(8)),
      ];
      if (daysFromCivil(year, month, dayOfMonth) !== day || !isRealCalendarDate(year, month, dayOfMonth))
        mismatches.push(iso);
    }

    // Assess
    expect(mismatches).toEqual([]);
  });
});

describe('instantWindowCheck', () => {
  const check = instantWindowCheck(DEFAULT_INSTANT_WINDOW, '2024-03-01');

  it.each([
    '2000-01-01T00:00:00Z',
    '2000-01-01T01:00:00+01:00',
    '2024-03-01T10:00:00Z',
    '2034-03-01T23:59:59.999999Z',
  ])('accepts %s for business date 2024-03-01', (text) => {
    // Act / Assess
    expect(check(text)).toBeNull();
  });

  it.each([
    [
      '1999-12-31T23:59:59.999999Z',
      'is before 2000-01-01T00:00:00Z, the earliest instant this dataset accepts',
    ],
    ['2000-01-01T00:30:00+01:00', 'is before 2000-01-01T00:00:00Z'],
    ['0050-01-01T00:00:00Z', 'is before 2000-01-01T00:00:00Z'],
    ['2034-03-02T00:00:00Z', "is more than 10 years after the file's business date 2024-03-01"],
    ['9999-12-31T23:59:59Z', 'is more than 10 years after'],
  ])('refuses %s: %s', (text, reason) => {
    // Act / Assess
    expect(check(text)).toContain(reason);
  });

  it('ends the window on 28 February when the business date is a 29 February and the later year is not leap', () => {
    // Prepare
    const leap = instantWindowCheck(
      { earliest: '2000-01-01T00:00:00Z', yearsAfterBusinessDate: 1 },
      '2024-02-29',
    );

    // Act / Assess
    expect(leap('2025-02-28T23:59:59Z')).toBeNull();
    expect(leap('2025-03-01T00:00:00Z')).toContain('is more than 1 year after');
  });

  it('depends on the business date only, never on the clock', () => {
    // Act / Assess
    expect(instantWindowCheck(DEFAULT_INSTANT_WINDOW, '2001-01-01')('2012-01-01T00:00:00Z')).toContain(
      'after',
    );
  });
});
