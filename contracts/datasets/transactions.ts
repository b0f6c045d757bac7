import { z } from 'zod';
import {
  CURRENCY_SILVER_COLUMNS,
  defineDataset,
  instantSilverColumns,
  type SilverColumn,
} from './dataset-contract.ts';
import {
  IdentifierSchema,
  InstantTextSchema,
  instantToMicros,
  OptionalPanSchema,
  OptionalTextSchema,
} from './fields.ts';
import { DEFAULT_INSTANT_WINDOW } from './instants.ts';
import {
  CURRENCY_EXPONENTS,
  type CurrencyCode,
  KnownCurrencySchema,
  MoneyTextSchema,
  parseMinorUnits,
} from './money.ts';
import { TextSchema } from './safe-text.ts';

export const TransactionTypeSchema = TextSchema.pipe(z.enum(['payment', 'refund', 'chargeback', 'reversal']));
export type TransactionType = z.infer<typeof TransactionTypeSchema>;

/** Record types that may carry a negative amount; a negative payment is refused. */
export const NEGATIVE_AMOUNT_TYPES: readonly TransactionType[] = ['refund', 'chargeback', 'reversal'];

/** One transactions v1 CSV record, as strings, with the cross-field money rules as refinements. */
export const TransactionRowSchema = z
  .object({
    transaction_id: IdentifierSchema,
    type: TransactionTypeSchema,
    amount: MoneyTextSchema,
    currency: KnownCurrencySchema,
    occurred_at: InstantTextSchema,
    merchant_id: IdentifierSchema,
    settlement_reference: OptionalTextSchema,
    card_number: OptionalPanSchema,
  })
  .strict()
  .superRefine((row, context) => {
    const money = parseMinorUnits(row.amount, row.currency);
    if (!money.ok) {
      context.addIssue({ code: 'custom', path: ['amount'], message: money.reason });
    } else if (money.minor < 0n && !NEGATIVE_AMOUNT_TYPES.includes(row.type)) {
      context.addIssue({
        code: 'custom',
        path: ['amount'],
        message: `is negative; only ${NEGATIVE_AMOUNT_TYPES.join(', ')} may be`,
      });
    }
  });
export type TransactionRow = z.infer<typeof TransactionRowSchema>;

const SILVER_COLUMNS: readonly SilverColumn[] = [
  { name: 'transaction_id', type: 'STRING', nullable: false, description: "Partner's transaction id." },
  { name: 'type', type: 'STRING', nullable: false, description: 'payment | refund | chargeback | reversal.' },
  { name: 'amount_minor', type: 'INT64', nullable: false, description: 'Amount in minor units of currency.' },
  ...CURRENCY_SILVER_COLUMNS,
  ...instantSilverColumns('occurred_at'),
  { name: 'merchant_id', type: 'STRING', nullable: false, description: "Partner's merchant id." },
  {
    name: 'settlement_reference',
    type: 'STRING',
    nullable: true,
    description: 'Settlement reference, if sent.',
  },
  { name: 'card_bin', type: 'STRING', nullable: true, description: 'First 6 digits of the card number.' },
  { name: 'card_last4', type: 'STRING', nullable: true, description: 'Last 4 digits of the card number.' },
  {
    name: 'card_fingerprint',
    type: 'STRING',
    nullable: true,
    description: 'HMAC-SHA256 of the card number, hex.',
  },
];

/** Transactions v1: one row per payment, refund, chargeback or reversal a partner reports. */
export const TransactionsV1 = defineDataset<TransactionRow>({
  name: 'transactions',
  version: 1,
  description: 'Card transactions as reported by a partner, one per line, amounts in major units.',
  columns: [
    'transaction_id',
    'type',
    'amount',
    'currency',
    'occurred_at',
    'merchant_id',
    'settlement_reference',
    'card_number',
  ],
  rowSchema: TransactionRowSchema,
  naturalKey: ['partner', 'transaction_id'],
  control: {
    amountColumn: 'amount',
    currencyColumn: 'currency',
    silverAmountColumn: 'amount_minor',
    silverCurrencyColumn: 'currency',
  },
  instants: { columns: ['occurred_at'], window: DEFAULT_INSTANT_WINDOW },
  cardColumn: 'card_number',
  silverColumns: SILVER_COLUMNS,
  toSilver(row, context) {
    const currency = row.currency as CurrencyCode;
    const money = parseMinorUnits(row.amount, currency);
    if (!money.ok) throw new Error('toSilver needs a row that passed TransactionRowSchema');
    const card = row.card_number === '' ? null : context.cardTokens(row.card_number);
    return [
      row.transaction_id,
      row.type,
      money.minor,
      currency,
      CURRENCY_EXPONENTS[currency],
      instantToMicros(row.occurred_at),
      row.occurred_at,
      row.merchant_id,
      row.settlement_reference === '' ? null : row.settlement_reference,
      card?.bin ?? null,
      card?.last4 ?? null,
      card?.fingerprint ?? null,
    ];
  },
});
