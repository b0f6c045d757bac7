import type { CardTokens, DatasetContract, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import { parseMinorUnits } from '../../contracts/datasets/money.ts';
import { isTrailerRecord } from '../../contracts/datasets/trailer.ts';
import { containsCardNumber, maskAllButLast4, maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import type { CsvRecord } from './csv/strict-csv-parser.ts';

/** A record's verdict: silver values (dataset columns, in contract order) or the first failing field and why. */
export type RowVerdict =
  | { readonly valid: true; readonly values: SilverValue[] }
  | { readonly valid: false; readonly field: string | null; readonly reason: string };

/** The amount a record contributes to the control totals, when its amount and currency parse at all. */
export interface ControlAmount {
  readonly currency: string;
  readonly minor: bigint;
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
 * outside the card column, then the contract's row schema. Reasons never contain field values.
 * @example const validator = createRowValidator(TransactionsV1, cardTokenizer(key)); validator.validate(record)
 */
export function createRowValidator(
  contract: DatasetContract,
  cardTokens: (pan: string) => CardTokens,
): RowValidator {
  const columns = contract.columns;
  const width = columns.length;
  const cardIndex = contract.cardColumn === null ? -1 : columns.indexOf(contract.cardColumn);
  const amountIndex = columns.indexOf(contract.control.amountColumn);
  const currencyIndex = columns.indexOf(contract.control.currencyColumn);
  const context = { cardTokens };

  const shapeProblem = (fields: readonly string[]): string | null => {
    if (isTrailerRecord(fields)) return 'is a TRAILER record that is not the last record of the file';
    if (fields.length === 1 && fields[0] === '') return 'is blank';
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
      const parsed = contract.rowSchema.safeParse(row);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = typeof issue?.path[0] === 'string' ? issue.path[0] : null;
        return { valid: false, field, reason: `${field ?? 'record'} ${issue?.message ?? 'is invalid'}` };
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
