import { type CurrencyCode, currencyExponent, formatMinorUnits } from '../../contracts/datasets/money.ts';
import type { SumsByCurrency } from './reconcile-input.ts';

const MINOR_UNITS = /^-?(0|[1-9][0-9]*)$/;

/** Minor-unit text to bigint; anything else is a wiring bug (events carry validated strings). */
export function minorOf(text: string, where: string): bigint {
  if (!MINOR_UNITS.test(text)) throw new Error(`${where}: "${text}" is not an integer amount in minor units`);
  return BigInt(text);
}

/** Per-currency bigint sums, built up from the events' string records. */
export class CurrencySums {
  private readonly sums = new Map<string, bigint>();

  static of(record: SumsByCurrency, where: string): CurrencySums {
    return new CurrencySums().addAll(record, where);
  }

  add(currency: string, minor: bigint): this {
    this.sums.set(currency, (this.sums.get(currency) ?? 0n) + minor);
    return this;
  }

  addAll(record: SumsByCurrency, where: string): this {
    for (const [currency, text] of Object.entries(record))
      this.add(currency, minorOf(text, `${where} ${currency}`));
    return this;
  }

  plus(other: CurrencySums): CurrencySums {
    const result = new CurrencySums();
    for (const sums of [this, other])
      for (const currency of sums.currencies()) result.add(currency, sums.of(currency));
    return result;
  }

  of(currency: string): bigint {
    return this.sums.get(currency) ?? 0n;
  }

  /** Currencies seen, sorted, so output order never depends on input order. */
  currencies(): string[] {
    return [...this.sums.keys()].sort();
  }
}

/** Currencies of several sums together, sorted. */
export function currenciesOf(...sums: readonly CurrencySums[]): string[] {
  return [...new Set(sums.flatMap((s) => s.currencies()))].sort();
}

/**
 * An amount for an operator message: major units with the currency, or minor units when the code is unknown.
 * @example showAmount(-310n, 'USD') // '-3.10 USD'
 */
export function showAmount(minor: bigint, currency: string): string {
  return currencyExponent(currency) === undefined
    ? `${minor} minor units of ${currency}`
    : `${formatMinorUnits(minor, currency as CurrencyCode)} ${currency}`;
}
