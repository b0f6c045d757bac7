import { TextSchema } from './safe-text.ts';

/** The shape of an instant; every range (calendar, clock, offset) is checked by `instantProblem`. */
const INSTANT_PARTS =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?$/;

/** The accepted shape as one pattern, for the JSON Schema partners read. */
export const INSTANT_PATTERN =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * Widest UTC offset accepted, in minutes. RFC 3339's grammar allows up to ±23:59 and ISO 8601 sets no bound,
 * but no time zone in use is beyond +14:00 (Pacific/Kiritimati) or −12:00, and XML Schema's dateTime stops at
 * ±14:00: a wider offset is a corrupt value, not a place.
 */
export const MAX_OFFSET_MINUTES = 14 * 60;

const LEAP_SECOND =
  'has a leap second (:60), which finledger does not accept: ask the partner to send :59.999999 or the next second';

/** Whether a year is a leap year in the proleptic Gregorian calendar (year 0 is one). */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether year-month-day names a day of the proleptic Gregorian calendar. */
export function isRealCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Days from 1970-01-01 to a civil date, by arithmetic (H. Hinnant's `days_from_civil`): no `Date.UTC`, which
 * reads years 0-99 as 1900-1999, and no `Date.parse`, which rolls 2024-02-30 over to March.
 * @see https://howardhinnant.github.io/date_algorithms.html#days_from_civil
 * @example daysFromCivil(2024, 3, 1) // 19783
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Why a text is not an instant finledger accepts (`YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|±HH:MM)`, a real date and
 * clock time, an offset within ±14:00), or null. Each failure has its own reason; none echoes the value.
 * @example instantProblem('2026-02-30T10:00:00Z') // 'is not a real calendar date'
 */
export function instantProblem(text: string): string | null {
  const parts = INSTANT_PARTS.exec(text);
  if (!parts) {
    return 'must be an ISO 8601 date-time with a four-digit year, seconds and an offset, such as 2024-03-01T10:00:00Z or 2024-03-01T10:00:00.5+01:00';
  }
  const group = (index: number) => Number(parts[index]);
  const fraction = parts[7];
  const offset = parts[8];
  if (offset === undefined) return 'has no offset (Z or ±hh:mm): a local time cannot be placed in time';
  if ((fraction?.length ?? 0) > 6) return 'has more than 6 fractional second digits';
  if (!isRealCalendarDate(group(1), group(2), group(3))) return 'is not a real calendar date';
  if (group(4) > 23) return 'has an hour above 23';
  if (group(5) > 59) return 'has a minute above 59';
  if (group(6) === 60) return LEAP_SECOND;
  if (group(6) > 59) return 'has a second above 59';
  if (offset !== 'Z') {
    const offsetMinutes = Number(offset.slice(4, 6));
    if (offsetMinutes > 59) return 'has an offset whose minutes are above 59';
    if (Number(offset.slice(1, 3)) * 60 + offsetMinutes > MAX_OFFSET_MINUTES)
      return 'has an offset beyond ±14:00, which no time zone uses';
  }
  return null;
}

/**
 * ISO 8601 instant with seconds and an explicit offset (`Z` or `±hh:mm`), at most microsecond precision, on a
 * real calendar date. Never a local time: `new Date()` would guess the zone.
 */
export const InstantTextSchema = TextSchema.superRefine((text, context) => {
  const problem = instantProblem(text);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
})
  // Never the first issue (the refinement above reports first); it puts the shape in the JSON Schema.
  .regex(INSTANT_PATTERN, 'must match YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)')
  .meta({ format: 'date-time' });

const digitsAt = (text: string, start: number, count: number): number => {
  let value = 0;
  for (let index = start; index < start + count; index += 1)
    value = value * 10 + (text.charCodeAt(index) - 48);
  return value;
};

/**
 * Microseconds since the epoch (UTC) of a value that passed `InstantTextSchema`
 * (`YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|±HH:MM)`); read by position and computed by arithmetic, so year 0050 stays
 * year 50 (`Date.UTC` would make it 1950).
 * @example instantToMicros('2024-03-01T10:00:00.000001+01:00') // 1709283600000001n
 */
export function instantToMicros(text: string): bigint {
  const days = daysFromCivil(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2));
  const seconds =
    days * 86_400 + digitsAt(text, 11, 2) * 3600 + digitsAt(text, 14, 2) * 60 + digitsAt(text, 17, 2);
  let index = 19;
  let micros = 0;
  if (text.charCodeAt(index) === 46) {
    let digits = 0;
    for (
      index += 1;
      index < text.length && text.charCodeAt(index) >= 48 && text.charCodeAt(index) <= 57;
      index += 1
    ) {
      if (digits < 6) micros = micros * 10 + (text.charCodeAt(index) - 48);
      digits += 1;
    }
    for (; digits < 6; digits += 1) micros *= 10;
  }
  let offsetSeconds = 0;
  const sign = text.charCodeAt(index);
  if (sign === 43 || sign === 45) {
    offsetSeconds =
      (digitsAt(text, index + 1, 2) * 60 + digitsAt(text, index + 4, 2)) * 60 * (sign === 45 ? -1 : 1);
  } else if (sign !== 90) {
    throw new Error('instantToMicros needs a value that passed InstantTextSchema');
  }
  return BigInt(seconds - offsetSeconds) * 1_000_000n + BigInt(micros);
}

const PLAIN_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Days since 1970-01-01 of a plain YYYY-MM-DD date (Parquet DATE); throws on anything else, 2024-02-30 included. */
export function dateToEpochDays(date: string): number {
  const parts = PLAIN_DATE.exec(date);
  const [year, month, day] = [Number(parts?.[1]), Number(parts?.[2]), Number(parts?.[3])];
  if (!parts || !isRealCalendarDate(year, month, day)) throw new Error(`Not a plain date: ${date}`);
  return daysFromCivil(year, month, day);
}

/**
 * Where a dataset's instants may plausibly fall. The upper bound is relative to the file's business date, never
 * to "now": a rerun of old data must reach the same verdict.
 */
export interface InstantWindow {
  /** Earliest accepted instant (ISO 8601 with offset). */
  readonly earliest: string;
  /** Latest accepted instant: this many whole years after the business date, to the end of that day (UTC). */
  readonly yearsAfterBusinessDate: number;
}

/** From 2000 (older instants are placeholders or mistyped years) to ten years after the business date. */
export const DEFAULT_INSTANT_WINDOW: InstantWindow = {
  earliest: '2000-01-01T00:00:00Z',
  yearsAfterBusinessDate: 10,
};

const MICROS_PER_DAY = 86_400_000_000n;

/**
 * A check of valid instant texts against a window for one business date; bounds are computed once per file.
 * @example instantWindowCheck(DEFAULT_INSTANT_WINDOW, '2024-03-01')('1999-12-31T23:59:59Z') // 'is before …'
 */
export function instantWindowCheck(
  window: InstantWindow,
  businessDate: string,
): (text: string) => string | null {
  const business = PLAIN_DATE.exec(businessDate);
  if (!business || instantProblem(window.earliest) !== null)
    throw new Error(`Cannot bound instants by ${window.earliest} and business date ${businessDate}`);
  const year = Number(business[1]) + window.yearsAfterBusinessDate;
  const month = Number(business[2]);
  // 29 February plus a number of years that is not a leap year: the 28th.
  const day = Math.min(Number(business[3]), daysInMonth(year, month));
  const earliest = instantToMicros(window.earliest);
  const endOfLatestDay = BigInt(daysFromCivil(year, month, day) + 1) * MICROS_PER_DAY;
  const years = `${window.yearsAfterBusinessDate} year${window.yearsAfterBusinessDate === 1 ? '' : 's'}`;
  const tooLate = `is more than ${years} after the file's business date ${businessDate}`;
  const tooEarly = `is before ${window.earliest}, the earliest instant this dataset accepts`;
  return (text) => {
    const micros = instantToMicros(text);
    if (micros < earliest) return tooEarly;
    return micros >= endOfLatestDay ? tooLate : null;
  };
}
