import { formatMajor } from './money.ts';
import type { SettlementRow, TransactionRow } from './rows.ts';

/** Row-level defects the generator injects; each makes exactly one field of one row invalid. */
export type DefectKind =
  | 'AMOUNT_DECIMALS'
  | 'AMOUNT_EXPONENT'
  | 'CURRENCY_MISSING'
  | 'TIMESTAMP_WITHOUT_OFFSET'
  | 'NEGATIVE_PAYMENT';

/** Ground truth for one injected defect. `row` counts data rows from 1; `line` is the physical line (header = 1). */
export type InjectedDefect = { row: number; line: number; field: string; kind: DefectKind; value: string };

/** Defects injected into a transactions file, in this order, one row each. */
export const TRANSACTION_DEFECTS: readonly DefectKind[] = [
  'AMOUNT_DECIMALS',
  'AMOUNT_EXPONENT',
  'CURRENCY_MISSING',
  'TIMESTAMP_WITHOUT_OFFSET',
  'NEGATIVE_PAYMENT',
];

/** Defects injected into a settlements file. */
export const SETTLEMENT_DEFECTS: readonly DefectKind[] = ['AMOUNT_EXPONENT', 'CURRENCY_MISSING'];

/** Whether a row with this defect still has an amount and currency that can be summed. */
export const moneyReadable = (kind: DefectKind): boolean =>
  kind === 'TIMESTAMP_WITHOUT_OFFSET' || kind === 'NEGATIVE_PAYMENT';

/** Corrupt one transactions row in place; returns the field and the value written. */
export function injectTransactionDefect(
  row: TransactionRow,
  kind: DefectKind,
): { field: string; value: string } {
  switch (kind) {
    case 'AMOUNT_DECIMALS':
      // Three decimals in a two-decimal currency.
      Object.assign(row, { type: 'payment', currency: 'EUR', amount: '12.345' });
      return { field: 'amount', value: row.amount };
    case 'AMOUNT_EXPONENT':
      Object.assign(row, { type: 'payment', amount: '1e3' });
      return { field: 'amount', value: row.amount };
    case 'CURRENCY_MISSING':
      row.currency = '';
      return { field: 'currency', value: '' };
    case 'TIMESTAMP_WITHOUT_OFFSET':
      row.occurred_at = row.occurred_at.slice(0, 19);
      return { field: 'occurred_at', value: row.occurred_at };
    case 'NEGATIVE_PAYMENT':
      row.type = 'payment';
      row.amount = formatMajor(-500n, row.currency);
      return { field: 'amount', value: row.amount };
  }
}

/** Corrupt one settlements row in place. */
export function injectSettlementDefect(
  row: SettlementRow,
  kind: DefectKind,
): { field: string; value: string } {
  switch (kind) {
    case 'AMOUNT_EXPONENT':
      row.amount = '1e3';
      return { field: 'amount', value: row.amount };
    case 'CURRENCY_MISSING':
      row.currency = '';
      return { field: 'currency', value: '' };
    default:
      throw new Error(`${kind} is not a settlements defect`);
  }
}
