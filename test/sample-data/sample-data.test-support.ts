import type { DeclaredEncoding } from '../../config/partners.ts';
import { CURRENCY_EXPONENTS } from './money.ts';

/** An independent reader of generated files (fields never hold commas or quotes there). */
export function readGenerated(bytes: Uint8Array, encoding: DeclaredEncoding = 'utf-8') {
  const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  const lineEnding = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(lineEnding);
  if (lines.at(-1) === '') lines.pop();
  const [header = '', ...rest] = lines;
  const trailerText = rest.at(-1)?.startsWith('TRAILER,') ? rest.pop() : undefined;
  const trailer = trailerText
    ? (() => {
        const [, count = '', sums = ''] = trailerText.split(',');
        return {
          rowCount: Number(count),
          sums: sums === '' ? {} : Object.fromEntries(sums.split(';').map((pair) => pair.split('='))),
        };
      })()
    : null;
  return { text, lineEnding, header: header.split(','), rows: rest.map((line) => line.split(',')), trailer };
}

/** Minor units of a well-formed amount, or null when it is not one for its currency. */
export function minorOf(amount: string, currency: string): bigint | null {
  const exponent = CURRENCY_EXPONENTS[currency];
  if (exponent === undefined) return null;
  const pattern = exponent === 0 ? /^-?(0|[1-9]\d*)$/ : new RegExp(`^-?(0|[1-9]\\d*)\\.\\d{${exponent}}$`);
  if (!pattern.test(amount)) return null;
  return BigInt(amount.replace('.', ''));
}

/** Major-unit text of minor units, independently of the generator's formatter. */
export function majorOf(minor: bigint, currency: string): string {
  const exponent = CURRENCY_EXPONENTS[currency] ?? 0;
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const text =
    exponent === 0
      ? digits
      : `${digits.slice(0, digits.length - exponent)}.${digits.slice(digits.length - exponent)}`;
  return negative ? `-${text}` : text;
}
