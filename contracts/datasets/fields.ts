import { z } from 'zod';
import { isLuhnValid } from './pan.ts';
import { TextSchema } from './safe-text.ts';

/** Identifier text: 1-128 characters, no hidden character, no leading or trailing whitespace, no line breaks. */
export const IdentifierSchema = TextSchema.min(1, 'is required')
  .max(128, 'is longer than 128 characters')
  .regex(/^\S(?:.*\S)?$/, 'has leading or trailing whitespace or a line break');

/** Optional text: empty (absent) or an identifier. */
export const OptionalTextSchema = TextSchema.max(128, 'is longer than 128 characters').regex(
  /^(?:\S(?:.*\S)?)?$/,
  'has leading or trailing whitespace or a line break',
);

const FRACTION = /\.([0-9]+)/;

/**
 * ISO 8601 instant with seconds and an explicit offset (`Z` or `±hh:mm`), at most microsecond precision.
 * Never a local time: `new Date()` would guess the zone.
 */
export const InstantTextSchema = TextSchema.pipe(
  z.iso
    .datetime({
      offset: true,
      message: 'must be an ISO 8601 date-time with seconds and an offset (Z or ±hh:mm)',
    })
    .refine(
      (text) => (FRACTION.exec(text)?.[1]?.length ?? 0) <= 6,
      'has more than 6 fractional second digits',
    ),
);

const digitsAt = (text: string, start: number, count: number): number => {
  let value = 0;
  for (let index = start; index < start + count; index += 1)
    value = value * 10 + (text.charCodeAt(index) - 48);
  return value;
};

/**
 * Microseconds since the epoch (UTC) of a value that passed `InstantTextSchema`
 * (`YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|±HH:MM)`); read by position, without `Date.parse` guessing.
 * @example instantToMicros('2024-03-01T10:00:00.000001+01:00') // 1709283600000001n
 */
export function instantToMicros(text: string): bigint {
  const seconds =
    Date.UTC(
      digitsAt(text, 0, 4),
      digitsAt(text, 5, 2) - 1,
      digitsAt(text, 8, 2),
      digitsAt(text, 11, 2),
      digitsAt(text, 14, 2),
      digitsAt(text, 17, 2),
    ) / 1000;
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

/** Days since 1970-01-01 of a plain YYYY-MM-DD date (Parquet DATE). */
export function dateToEpochDays(date: string): number {
  const millis = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(millis)) throw new Error(`Not a plain date: ${date}`);
  return millis / 86_400_000;
}

/** Empty (no card) or a 13-19 digit Luhn-valid card number; messages never echo the value. */
export const OptionalPanSchema = TextSchema.regex(
  /^(?:[0-9]{13,19})?$/,
  'must be empty or 13-19 digits',
).refine((value) => value === '' || isLuhnValid(value), 'fails the Luhn check');
