import type { PartnerSpec } from '../../../config/partners.ts';
import { formatMajor } from '../../../test/sample-data/money.ts';
import type { Random } from '../../../test/sample-data/prng.ts';
import {
  parseMinor,
  type SettlementRow,
  settlementRow,
  type TransactionRow,
} from '../../../test/sample-data/rows.ts';

/** Settlement lines of the special cases a generated day injects (the generator's rows.ts has only the plain 1:1). */
export interface LineContext {
  readonly random: Random;
  readonly partner: PartnerSpec;
  readonly date: string;
}

/**
 * One instalment of `grossMinor` of a payment, net of its own fee (amount + fee = the instalment).
 * @example instalment(context, payment, 600n)
 */
export function instalment(context: LineContext, payment: TransactionRow, grossMinor: bigint): SettlementRow {
  const line = settlementRow(context.random, context.partner, context.date, payment);
  const fee = (grossMinor * BigInt(context.random.int(10, 300))) / 10_000n;
  return {
    ...line,
    amount: formatMajor(grossMinor - fee, line.currency),
    fee: formatMajor(fee, line.currency),
  };
}

/** The first 60 % of a payment: settled short, an instalment plan still running. */
export function firstInstalmentOnly(context: LineContext, payment: TransactionRow): SettlementRow {
  const gross = parseMinor(payment.amount, payment.currency);
  return instalment(context, payment, (gross * 6n) / 10n);
}

/** Two instalments that add up to the payment: a clean 1:N that must be matched. */
export function instalmentsThatAddUp(context: LineContext, payment: TransactionRow): SettlementRow[] {
  const gross = parseMinor(payment.amount, payment.currency);
  const part = (gross * 6n) / 10n;
  return [instalment(context, payment, part), instalment(context, payment, gross - part)];
}

/** The payment's settlement, `overMinor` above what it should be: an amount mismatch above every tolerance. */
export function settledOver(context: LineContext, payment: TransactionRow, overMinor: bigint): SettlementRow {
  const line = settlementRow(context.random, context.partner, context.date, payment);
  return { ...line, amount: formatMajor(parseMinor(line.amount, line.currency) + overMinor, line.currency) };
}

/**
 * One line paying same-currency payments together (N:1), found only by the payout-batch pass: each member's
 * `settlement_reference` is set to the line's `settlement_id`, and the line names no single transaction.
 */
export function payoutBatchLine(
  context: LineContext,
  members: readonly TransactionRow[],
  batchId: string,
): SettlementRow {
  const lines = members.map((payment) => {
    payment.settlement_reference = batchId;
    return settlementRow(context.random, context.partner, context.date, payment);
  });
  const first = lines[0];
  if (!first) throw new Error('a payout batch needs at least one member');
  const sum = (field: 'amount' | 'fee') =>
    lines.reduce((total, line) => total + parseMinor(line[field], line.currency), 0n);
  return {
    ...first,
    settlement_id: batchId,
    transaction_reference: batchId.replace('sr_batch_', 'payout_'),
    amount: formatMajor(sum('amount'), first.currency),
    fee: formatMajor(sum('fee'), first.currency),
  };
}

/** A settlement line naming a transaction id that exists nowhere. */
export const orphanLine = (context: LineContext): SettlementRow =>
  settlementRow(context.random, context.partner, context.date, undefined);
