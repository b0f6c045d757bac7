/**
 * ISO 4217 minor-unit exponents of the currencies the sample partners use. Kept independent of
 * contracts/datasets/money.ts on purpose: ground truth must not share code with what it checks.
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  EUR: 2,
  USD: 2,
  GBP: 2,
  CHF: 2,
  JPY: 0,
  KWD: 3,
};

export function exponentOf(currency: string): number {
  const exponent = CURRENCY_EXPONENTS[currency];
  if (exponent === undefined) throw new Error(`No ISO 4217 exponent known for ${currency}`);
  return exponent;
}

/**
 * Minor units as a major-unit decimal string with exactly the currency's decimals.
 * @example formatMajor(-310n, 'USD') // '-3.10'; formatMajor(1500n, 'JPY') // '1500'; formatMajor(12345n, 'KWD') // '12.345'
 */
export function formatMajor(minor: bigint, currency: string): string {
  const exponent = exponentOf(currency);
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Per-currency sums in minor units. */
export type MinorSums = Map<string, bigint>;

export function addTo(sums: MinorSums, currency: string, minor: bigint): void {
  sums.set(currency, (sums.get(currency) ?? 0n) + minor);
}

/** Sums as a plain record of minor-unit strings, currencies sorted (the FileValidated ControlTotals shape). */
export function minorRecord(sums: MinorSums): Record<string, string> {
  return Object.fromEntries(
    [...sums.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, minor]) => [currency, minor.toString()]),
  );
}

/**
 * The trailer's sums field: `EUR=1050.25;USD=-3.10`, major units, currencies sorted; empty when there are no rows.
 * @example trailerSums(new Map([['USD', -310n], ['EUR', 105025n]])) // 'EUR=1050.25;USD=-3.10'
 */
export function trailerSums(sums: MinorSums): string {
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, minor]) => `${currency}=${formatMajor(minor, currency)}`)
    .join(';');
}
