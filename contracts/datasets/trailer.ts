import { type CurrencyCode, currencyExponent, parseMinorUnits } from './money.ts';

/** First field of the control-total trailer, the file's last record: `TRAILER,<row_count>,<sums>`. */
export const TRAILER_TAG = 'TRAILER';

/** Sums are `CUR=<major units>` joined by ';', e.g. `EUR=1050.25;USD=-3.10`; empty when there are no rows. */
export const TRAILER_FORMAT = 'TRAILER,<row_count>,<CUR=amount;CUR=amount…>';

/** What a trailer declares: the data-record count and the amount sum per currency, in minor units. */
export interface DeclaredTotals {
  readonly rowCount: number;
  readonly sums: ReadonlyMap<CurrencyCode, bigint>;
}

export type TrailerParseResult = { ok: true; totals: DeclaredTotals } | { ok: false; reason: string };

/** Whether a record is a trailer (by its tag); the caller decides whether it is in the last position. */
export function isTrailerRecord(fields: readonly string[]): boolean {
  return fields[0] === TRAILER_TAG;
}

/**
 * Parse a trailer record's fields. Amounts follow the same rules as row amounts (no floats in disguise).
 * @example parseTrailer(['TRAILER', '2', 'EUR=1050.25;USD=-3.10'])
 */
export function parseTrailer(fields: readonly string[]): TrailerParseResult {
  if (fields.length !== 3 || fields[0] !== TRAILER_TAG) {
    return { ok: false, reason: `trailer must be ${TRAILER_FORMAT} (3 fields), got ${fields.length} fields` };
  }
  const [, count = '', sumsText = ''] = fields;
  if (!/^(0|[1-9][0-9]{0,14})$/.test(count))
    return { ok: false, reason: 'trailer row count is not a plain non-negative integer' };
  const sums = new Map<CurrencyCode, bigint>();
  if (sumsText !== '') {
    for (const entry of sumsText.split(';')) {
      const [currency = '', amount, ...rest] = entry.split('=');
      if (amount === undefined || rest.length > 0)
        return { ok: false, reason: `trailer sum "${entry}" is not CUR=amount` };
      if (currencyExponent(currency) === undefined)
        return { ok: false, reason: `trailer currency "${currency}" is not a known ISO 4217 code` };
      if (sums.has(currency as CurrencyCode)) return { ok: false, reason: `trailer lists ${currency} twice` };
      const money = parseMinorUnits(amount, currency);
      if (!money.ok) return { ok: false, reason: `trailer sum for ${currency} ${money.reason}` };
      sums.set(currency as CurrencyCode, money.minor);
    }
  }
  return { ok: true, totals: { rowCount: Number(count), sums } };
}
