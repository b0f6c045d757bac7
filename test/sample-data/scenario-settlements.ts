import type { PartnerSpec } from '../../config/partners.ts';
import { formatMajor } from './money.ts';
import type { Random } from './prng.ts';
import { parseMinor, type SettlementRow, settlementRow, type TransactionRow } from './rows.ts';
import type { InjectedRows } from './sample-set.ts';
import type {
  ExpectedDedupOutcome,
  ExpectedLateFile,
  ExpectedOpenItem,
  ExpectedQuarantine,
  ScenarioTruth,
} from './scenario-truth.ts';

/** The truth being written while the scenario is generated, plus each partner-day's valid payments. */
export interface ScenarioBook {
  quarantined: ExpectedQuarantine[];
  duplicates: ExpectedDedupOutcome[];
  conflicts: ExpectedDedupOutcome[];
  unmatched: ExpectedOpenItem[];
  partiallySettled: ExpectedOpenItem[];
  mismatches: ExpectedOpenItem[];
  lateFiles: ExpectedLateFile[];
  injected: ScenarioTruth['injected'][number][];
  /** `partner#date` → the valid payments of that file, in file order. */
  days: Map<string, TransactionRow[]>;
}

const MISMATCH_MINOR = 5n;

/**
 * Settlements for every valid payment: one net-of-fee line each (`plain`, where invalid rows may be injected),
 * and the lines of the day's special cases (`special`, appended after, never broken):
 * - acme-bank, first date: a payment settled in two instalments that add up (clean 1:N);
 * - acme-bank, second date: a payment with no settlement, and one with only its first instalment;
 * - globex-pay, first date: three payments paid as one payout-batch line (clean N:1);
 * - globex-pay, second date: a settlement 5 minor units over its payment (tolerance is 1).
 */
export function settleDay(
  random: Random,
  partner: PartnerSpec,
  date: string,
  payments: readonly TransactionRow[],
  book: ScenarioBook,
): { plain: SettlementRow[]; special: SettlementRow[] } {
  const special: SettlementRow[] = [];
  const handled = new Set<TransactionRow>();
  const first = date === '2026-11-19';
  const take = (payment: TransactionRow | undefined): TransactionRow => {
    if (!payment) throw new Error(`${partner.id} has too few payments on ${date} for the scenario`);
    handled.add(payment);
    return payment;
  };
  const open = (payment: TransactionRow, because: ExpectedOpenItem['because'], amountMinor?: bigint) => ({
    partner: partner.id,
    businessDate: date,
    transactionId: payment.transaction_id,
    because,
    ...(amountMinor === undefined ? {} : { amountMinor: String(amountMinor) }),
  });

  if (partner.id === 'acme-bank' && first) {
    const payment = take(payments[0]);
    const gross = parseMinor(payment.amount, payment.currency);
    const part = (gross * 6n) / 10n;
    special.push(
      instalment(random, partner, date, payment, part),
      instalment(random, partner, date, payment, gross - part),
    );
  }
  if (partner.id === 'acme-bank' && !first) {
    const missing = take(payments[0]);
    book.unmatched.push(open(missing, 'MISSING_SETTLEMENT'));
    book.injected.push({
      kind: 'MISSING_SETTLEMENT',
      where: `${partner.id} ${date} ${missing.transaction_id}`,
    });
    const partial = take(payments[1]);
    const gross = parseMinor(partial.amount, partial.currency);
    const part = (gross * 6n) / 10n;
    special.push(instalment(random, partner, date, partial, part));
    book.partiallySettled.push(open(partial, 'PARTIAL_SETTLEMENT', gross - part));
    book.injected.push({
      kind: 'PARTIAL_SETTLEMENT',
      where: `${partner.id} ${date} ${partial.transaction_id}`,
    });
  }
  if (partner.id === 'globex-pay' && first) special.push(payoutBatch(random, partner, date, payments, take));
  if (partner.id === 'globex-pay' && !first) {
    const payment = take(payments[0]);
    const line = settlementRow(random, partner, date, payment);
    line.amount = formatMajor(parseMinor(line.amount, line.currency) + MISMATCH_MINOR, line.currency);
    special.push(line);
    book.mismatches.push(open(payment, 'AMOUNT_MISMATCH', MISMATCH_MINOR));
    book.injected.push({ kind: 'AMOUNT_MISMATCH', where: `${partner.id} ${date} ${payment.transaction_id}` });
  }
  const plain = payments
    .filter((payment) => !handled.has(payment))
    .map((payment) => settlementRow(random, partner, date, payment));
  return { plain, special };
}

/** A payment whose only settlement line was quarantined stays unmatched: the consequence, not a new defect. */
export function placeSettlementDefects(
  partner: PartnerSpec,
  date: string,
  plain: readonly SettlementRow[],
  broken: InjectedRows,
  book: ScenarioBook,
): void {
  for (const defect of broken.defects) {
    const line = plain[defect.row - 1] as SettlementRow;
    book.quarantined.push({
      partner: partner.id,
      dataset: 'settlements',
      businessDate: date,
      fileName: `${partner.id}-settlements-${date.replaceAll('-', '')}.csv`,
      row: defect.row,
      field: defect.field,
      defect: defect.kind,
    });
    book.injected.push({
      kind: 'INVALID_ROW',
      where: `${partner.id} settlements ${date} row ${defect.row} (${defect.kind})`,
    });
    book.unmatched.push({
      partner: partner.id,
      businessDate: date,
      transactionId: line.transaction_reference,
      because: 'SETTLEMENT_QUARANTINED',
    });
  }
}

/** One instalment of `grossMinor` of the payment, net of its own fee. */
function instalment(
  random: Random,
  partner: PartnerSpec,
  date: string,
  payment: TransactionRow,
  grossMinor: bigint,
): SettlementRow {
  const line = settlementRow(random, partner, date, payment);
  const fee = (grossMinor * BigInt(random.int(10, 300))) / 10_000n;
  return {
    ...line,
    amount: formatMajor(grossMinor - fee, line.currency),
    fee: formatMajor(fee, line.currency),
  };
}

/** Three same-currency payments tagged with one settlement reference, settled by one line with that id. */
function payoutBatch(
  random: Random,
  partner: PartnerSpec,
  date: string,
  payments: readonly TransactionRow[],
  take: (payment: TransactionRow | undefined) => TransactionRow,
): SettlementRow {
  const currency = payments[0]?.currency;
  const members = payments
    .filter((payment) => payment.currency === currency)
    .slice(0, 3)
    .map(take);
  if (members.length < 3)
    throw new Error(`${partner.id} has too few ${currency} payments on ${date} for a batch`);
  const batchId = `sr_batch_${date.replaceAll('-', '')}`;
  const lines = members.map((payment) => {
    payment.settlement_reference = batchId;
    return settlementRow(random, partner, date, payment);
  });
  const sum = (field: 'amount' | 'fee') =>
    lines.reduce((total, line) => total + parseMinor(line[field], line.currency), 0n);
  return {
    ...(lines[0] as SettlementRow),
    settlement_id: batchId,
    // The batch line names no single transaction; only the second pass (settlement_reference) can pair it.
    transaction_reference: `payout_${date.replaceAll('-', '')}`,
    amount: formatMajor(sum('amount'), currency ?? ''),
    fee: formatMajor(sum('fee'), currency ?? ''),
  };
}
