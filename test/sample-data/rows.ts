import type { PartnerSpec } from '../../config/partners.ts';
import { SettlementsV1, TransactionsV1 } from '../../contracts/datasets/catalog.ts';
import { exponentOf, formatMajor } from './money.ts';
import type { Random } from './prng.ts';
import { MAX_MAJOR, profileOf } from './profiles.ts';
import { zonedTimestamp } from './time.ts';

/** transactions v1 columns, in contract order (from the contract, so the generator cannot drift from it). */
export const TRANSACTION_COLUMNS = TransactionsV1.columns;

/** settlements v1 columns, in contract order. */
export const SETTLEMENT_COLUMNS = SettlementsV1.columns;

export type TransactionType = 'payment' | 'refund' | 'chargeback' | 'reversal';
export type TransactionRow = Record<(typeof TRANSACTION_COLUMNS)[number], string>;
export type SettlementRow = Record<(typeof SETTLEMENT_COLUMNS)[number], string>;

const TYPES: readonly (readonly [TransactionType, number])[] = [
  ['payment', 70],
  ['refund', 15],
  ['chargeback', 8],
  ['reversal', 7],
];

/** A valid transactions row: negative amounts only for refund, chargeback and reversal. */
export function transactionRow(random: Random, partner: PartnerSpec, businessDate: string): TransactionRow {
  const type = random.weighted(TYPES);
  const currency = random.weighted(profileOf(partner.id).currencies);
  const magnitude = randomMinor(random, currency);
  return {
    transaction_id: random.id('tx_', 12),
    type,
    amount: formatMajor(type === 'payment' ? magnitude : -magnitude, currency),
    currency,
    occurred_at: zonedTimestamp(businessDate, random.int(0, 86_399), partner.timezone),
    merchant_id: random.id('m_', 8),
    settlement_reference: random.chance(0.6) ? random.id('sr_', 10) : '',
    card_number: '',
  };
}

/**
 * A valid settlements row; settles `transaction` (a payment) when given, else an unknown reference. Amounts are
 * net of the fee (settlements v1): amount + fee = the transaction's amount.
 */
export function settlementRow(
  random: Random,
  partner: PartnerSpec,
  businessDate: string,
  transaction: TransactionRow | undefined,
): SettlementRow {
  const currency = transaction?.currency ?? random.weighted(profileOf(partner.id).currencies);
  const gross = transaction ? parseMinor(transaction.amount, currency) : randomMinor(random, currency);
  // At most 3 % of a positive gross, so the net amount stays positive.
  const fee = (gross * BigInt(random.int(10, 300))) / 10_000n;
  return {
    settlement_id: random.id('st_', 12),
    transaction_reference: transaction?.transaction_id ?? random.id('tx_', 12),
    amount: formatMajor(gross - fee, currency),
    fee: formatMajor(fee, currency),
    currency,
    settled_at: zonedTimestamp(businessDate, random.int(0, 86_399), partner.timezone),
    payout_batch_id: `pb_${businessDate.replaceAll('-', '')}_${random.int(1, 3)}`,
  };
}

/** Positive amount in minor units within the currency's sample range. */
function randomMinor(random: Random, currency: string): bigint {
  const scale = 10 ** exponentOf(currency);
  return BigInt(random.int(1, (MAX_MAJOR[currency] ?? 5000) * scale));
}

/** Minor units of an amount the generator itself formatted (exact decimals, no exponent). */
export function parseMinor(amount: string, currency: string): bigint {
  const exponent = exponentOf(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match || (match[3] ?? '').length !== exponent)
    throw new Error(`${amount} is not a ${currency} amount`);
  const minor = BigInt(`${match[2]}${match[3] ?? ''}`);
  return match[1] === '-' ? -minor : minor;
}
