import type { DeclaredEncoding } from '../../config/partners.ts';
import type { CardTokens, DatasetContract, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import { instantWindowCheck } from '../../contracts/datasets/instants.ts';
import { parseMinorUnits } from '../../contracts/datasets/money.ts';
import { isTrailerRecord } from '../../contracts/datasets/trailer.ts';
import { containsCardNumber, maskAllButLast4, maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import type { CsvRecord } from './csv/strict-csv-parser.ts';
import { doubleEncodingCheck } from './double-encoded-utf8.ts';

const NON_ASCII = /[\u0080-\uffff]/;

/** A record's verdict: silver values (dataset columns, in contract order) or the first failing field and why. */
export type RowVerdict =
  | { readonly valid: true; readonly values: SilverValue[] }
  | { readonly valid: false; readonly field: string | null; readonly reason: string };

/** The amount a record contributes to the control totals, when its amount and currency parse at all. */
export interface ControlAmount {
  readonly currency: string;
  readonly minor: bigint;
}

/** What validating a row needs besides the contract: facts of the file and services that hold secrets. */
export interface RowValidationContext {
  readonly cardTokens: (pan: string) => CardTokens;
  /** The file's business date: instants are judged against it, never against "now", so a rerun agrees. */
  readonly businessDate: string;
  /** The partner's declared encoding: it says how double-encoded UTF-8 would have been misread. */
  readonly encoding: DeclaredEncoding;
}

export interface RowValidator {
  validate(record: CsvRecord): RowVerdict;
  /**
   * Amount and currency of any record with the right field count, valid or not (for the trailer check); null when
   * the amount does not parse or holds a card number.
   */
  controlAmount(record: CsvRecord): ControlAmount | null;
  /** The record's text with every card number (and any value in the card column) masked. */
  maskedLine(record: CsvRecord): string;
}

/**
 * Validate records against one dataset contract. Order: shape (field count, misplaced trailer), card numbers
 * outside the card column, double-encoded UTF-8, the contract's row schema (hidden characters first), then the
 * contract's instant window. Reasons never contain field values.
 * @example const validator = createRowValidator(TransactionsV1, { cardTokens, businessDate: '2024-03-01' })
 */
export function createRowValidator(contract: DatasetContract, context: RowValidationContext): RowValidator {
  const columns = contract.columns;
  const width = columns.length;
  const cardIndex = contract.cardColumn === null ? -1 : columns.indexOf(contract.cardColumn);
  const amountIndex = columns.indexOf(contract.control.amountColumn);
  const currencyIndex = columns.indexOf(contract.control.currencyColumn);
  const instantColumns = contract.instants.columns;
  const outsideWindow = instantWindowCheck(contract.instants.window, context.businessDate);
  const doubleEncoded = doubleEncodingCheck(context.encoding);

  const shapeProblem = (fields: readonly string[]): string | null => {
    if (isTrailerRecord(fields)) return 'is a TRAILER record that is not the last record of the file';
    if (fields.length !== width) return `has ${fields.length} fields, expected ${width} (ragged row)`;
    return null;
  };

  return {
    validate(record) {
      const fields = record.fields;
      const shape = shapeProblem(fields);
      if (shape !== null) return { valid: false, field: null, reason: `record ${shape}` };
      const row: Record<string, string> = {};
      for (let index = 0; index < width; index += 1) {
        const value = fields[index] as string;
        const column = columns[index] as string;
        if (index !== cardIndex && containsCardNumber(value)) {
          return { valid: false, field: column, reason: `card number in field ${column}` };
        }
        row[column] = value;
      }
      // Only a line with a non-ASCII character can hold a misread UTF-8 sequence: most lines skip the scan.
      if (doubleEncoded && NON_ASCII.test(record.raw)) {
        const column = columns.find((name) => doubleEncoded.test(row[name] as string));
        if (column) return { valid: false, field: column, reason: `${column} ${doubleEncoded.reason}` };
      }
      const parsed = contract.rowSchema.safeParse(row);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = typeof issue?.path[0] === 'string' ? issue.path[0] : null;
        return { valid: false, field, reason: `${field ?? 'record'} ${issue?.message ?? 'is invalid'}` };
      }
      for (const column of instantColumns) {
        const problem = outsideWindow(row[column] as string);
        if (problem !== null) return { valid: false, field: column, reason: `${column} ${problem}` };
      }
      return { valid: true, values: contract.toSilver(parsed.data, context) };
    },

    controlAmount(record) {
      if (record.fields.length !== width) return null;
      const currency = record.fields[currencyIndex] ?? '';
      const amount = record.fields[amountIndex] ?? '';
      // A card number typed into the amount column is card data, not money: it never enters a total or an event.
      if (containsCardNumber(amount)) return null;
      const money = parseMinorUnits(amount, currency);
      return money.ok ? { currency, minor: money.minor } : null;
    },

    maskedLine(record) {
      let line = maskCardNumbers(record.raw);
      const cardValue = cardIndex === -1 ? undefined : record.fields[cardIndex];
      // A mistyped PAN fails Luhn but is still a card number: mask whatever the card column holds.
      if (cardValue && /[0-9]{5}/.test(cardValue.replace(/[ -]/g, ''))) {
        line = line.replaceAll(cardValue, maskAllButLast4(cardValue));
      }
      return line;
    },
  };
}
