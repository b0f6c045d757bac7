import { z } from 'zod';
import {
  CURRENCY_SILVER_COLUMNS,
  defineDataset,
  instantSilverColumns,
  type SilverColumn,
} from './dataset-contract.ts';
import { IdentifierSchema, InstantTextSchema, instantToMicros, OptionalTextSchema } from './fields.ts';
import { DEFAULT_INSTANT_WINDOW } from './instants.ts';
import {
  CURRENCY_EXPONENTS,
  type CurrencyCode,
  KnownCurrencySchema,
  MoneyTextSchema,
  parseMinorUnits,
} from './money.ts';

/**
 * One settlements v1 CSV record, as strings. The amount may be negative (a net payout of refunds);
 * the fee never is.
 */
export const SettlementRowSchema = z
  .object({
    settlement_id: IdentifierSchema,
    transaction_reference: IdentifierSchema,
    amount: MoneyTextSchema,
    fee: MoneyTextSchema,
    currency: KnownCurrencySchema,
    settled_at: InstantTextSchema,
    payout_batch_id: OptionalTextSchema,
  })
  .strict()
  .superRefine((row, context) => {
    const amount = parseMinorUnits(row.amount, row.currency);
    if (!amount.ok) context.addIssue({ code: 'custom', path: ['amount'], message: amount.reason });
    const fee = parseMinorUnits(row.fee, row.currency);
    if (!fee.ok) context.addIssue({ code: 'custom', path: ['fee'], message: fee.reason });
    else if (fee.minor < 0n)
      context.addIssue({ code: 'custom', path: ['fee'], message: 'is negative; a fee is never negative' });
  });
export type SettlementRow = z.infer<typeof SettlementRowSchema>;

const SILVER_COLUMNS: readonly SilverColumn[] = [
  { name: 'settlement_id', type: 'STRING', nullable: false, description: "Partner's settlement id." },
  {
    name: 'transaction_reference',
    type: 'STRING',
    nullable: false,
    description: 'Transaction the settlement pays.',
  },
  {
    name: 'amount_minor',
    type: 'INT64',
    nullable: false,
    description: 'Settled amount in minor units of currency.',
  },
  { name: 'fee_minor', type: 'INT64', nullable: false, description: 'Fee in minor units of currency (≥ 0).' },
  ...CURRENCY_SILVER_COLUMNS,
  ...instantSilverColumns('settled_at'),
  { name: 'payout_batch_id', type: 'STRING', nullable: true, description: 'Payout batch, if sent.' },
];

function minor(text: string, currency: CurrencyCode): bigint {
  const money = parseMinorUnits(text, currency);
  if (!money.ok) throw new Error('toSilver needs a row that passed SettlementRowSchema');
  return money.minor;
}

/** Settlements v1: what a partner paid out against which transaction, net of its fee. */
export const SettlementsV1 = defineDataset<SettlementRow>({
  name: 'settlements',
  version: 1,
  description:
    'Settlement lines as reported by a partner, one per settled transaction, amounts in major units.',
  columns: [
    'settlement_id',
    'transaction_reference',
    'amount',
    'fee',
    'currency',
    'settled_at',
    'payout_batch_id',
  ],
  rowSchema: SettlementRowSchema,
  naturalKey: ['partner', 'settlement_id'],
  control: {
    amountColumn: 'amount',
    currencyColumn: 'currency',
    silverAmountColumn: 'amount_minor',
    silverCurrencyColumn: 'currency',
  },
  instants: { columns: ['settled_at'], window: DEFAULT_INSTANT_WINDOW },
  cardColumn: null,
  silverColumns: SILVER_COLUMNS,
  toSilver(row) {
    const currency = row.currency as CurrencyCode;
    return [
      row.settlement_id,
      row.transaction_reference,
      minor(row.amount, currency),
      minor(row.fee, currency),
      currency,
      CURRENCY_EXPONENTS[currency],
      instantToMicros(row.settled_at),
      row.settled_at,
      row.payout_batch_id === '' ? null : row.payout_batch_id,
    ];
  },
});
