import { z } from 'zod';
import { TextSchema } from './safe-text.ts';

/**
 * ISO 4217 minor-unit exponents of the currencies finledger accepts. A currency missing here is refused
 * (row quarantined), never guessed: adding one is a reviewed change.
 * @see https://www.six-group.com/en/products-services/financial-information/data-standards.html
 */
// biome-ignore format: a table reads better grouped by exponent
export const CURRENCY_EXPONENTS = {
  // 0 decimals
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // 3 decimals
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  // 4 decimals
  CLF: 4, UYW: 4,
  // 2 decimals
  AED: 2, ARS: 2, AUD: 2, BGN: 2, BRL: 2, CAD: 2, CHF: 2, CNY: 2, COP: 2, CZK: 2,
  DKK: 2, EGP: 2, EUR: 2, GBP: 2, HKD: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2, KES: 2,
  MAD: 2, MXN: 2, MYR: 2, NGN: 2, NOK: 2, NZD: 2, PEN: 2, PHP: 2, PKR: 2, PLN: 2,
  QAR: 2, RON: 2, RSD: 2, SAR: 2, SEK: 2, SGD: 2, THB: 2, TRY: 2, TWD: 2, UAH: 2,
  USD: 2, ZAR: 2,
} as const satisfies Record<string, 0 | 2 | 3 | 4>;

export type CurrencyCode = keyof typeof CURRENCY_EXPONENTS;

const CURRENCY_CODES = Object.keys(CURRENCY_EXPONENTS) as [CurrencyCode, ...CurrencyCode[]];

/** A currency finledger knows the exponent of. */
export const KnownCurrencySchema = TextSchema.pipe(
  z.enum(CURRENCY_CODES, {
    // The default message lists all codes; a quarantine reason must be readable, and never echoes the value.
    error: 'is not an ISO 4217 code with known minor units (contracts/datasets/money.ts)',
  }),
);

/** Minor-unit exponent of a known currency, or undefined for any other text. */
export function currencyExponent(code: string): number | undefined {
  return Object.hasOwn(CURRENCY_EXPONENTS, code) ? CURRENCY_EXPONENTS[code as CurrencyCode] : undefined;
}

/**
 * Decimal amount in major units as text: optional '-', no leading zeros, optional '.' with digits.
 * No '+', exponent, hex, separators, spaces, NaN or Infinity can match, so `Number()` is never needed.
 */
export const MONEY_TEXT_PATTERN = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** Amount text as it appears in a file (the currency-specific checks run in `parseMinorUnits`). */
export const MoneyTextSchema = TextSchema.regex(
  MONEY_TEXT_PATTERN,
  'must be a plain decimal amount such as 1050.25',
);

const INT64_MAX = 9_223_372_036_854_775_807n;

export type MoneyParseResult = { ok: true; minor: bigint } | { ok: false; reason: string };

/**
 * Parse a major-unit decimal string into integer minor units with the currency's ISO 4217 exponent.
 * Fewer decimals than the exponent are padded ("10.5" EUR → 1050n); more are refused. The result fits
 * a Parquet INT64. Money never passes through a JS number.
 * @example parseMinorUnits('1050.25', 'EUR') // { ok: true, minor: 105025n }
 */
export function parseMinorUnits(text: string, currency: string): MoneyParseResult {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return { ok: false, reason: 'currency is not a known ISO 4217 code' };
  if (!MONEY_TEXT_PATTERN.test(text)) {
    return { ok: false, reason: 'must be a plain decimal amount (digits, optional "-" and ".")' };
  }
  const negative = text.charCodeAt(0) === 45;
  const unsigned = negative ? text.slice(1) : text;
  const dot = unsigned.indexOf('.');
  const whole = dot === -1 ? unsigned : unsigned.slice(0, dot);
  const fraction = dot === -1 ? '' : unsigned.slice(dot + 1);
  if (fraction.length > exponent) {
    return { ok: false, reason: `has ${fraction.length} decimals; ${currency} allows at most ${exponent}` };
  }
  const magnitude = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (negative && magnitude === 0n) return { ok: false, reason: 'negative zero is not an amount' };
  if (magnitude > INT64_MAX) return { ok: false, reason: 'is out of the 64-bit minor-unit range' };
  return { ok: true, minor: negative ? -magnitude : magnitude };
}

/**
 * Minor units back to major-unit text, for operator messages.
 * @example formatMinorUnits(-310n, 'USD') // '-3.10'
 */
export function formatMinorUnits(minor: bigint, currency: CurrencyCode): string {
  const exponent = CURRENCY_EXPONENTS[currency];
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
