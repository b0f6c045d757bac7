import type { MatchingRules } from '../../../config/matching-rules.ts';
import { type DefectKind, SETTLEMENT_DEFECTS } from '../../../test/sample-data/defects.ts';
import {
  parseMinor,
  type SettlementRow,
  settlementRow,
  type TransactionRow,
} from '../../../test/sample-data/rows.ts';
import { type InjectedRows, injectRowDefects, shuffle } from '../../../test/sample-data/sample-set.ts';
import { type DayRates, injectedCount } from './day-rates.ts';
import {
  firstInstalmentOnly,
  instalmentsThatAddUp,
  type LineContext,
  orphanLine,
  payoutBatchLine,
  settledOver,
} from './settlement-lines.ts';

/** Every tolerance in config/matching-rules.ts is at most 1 minor unit; 5 over is a mismatch for every partner. */
const MISMATCH_MINOR = 5n;
/** Instalments of a payment this small could round to zero (then it is no instalment but a mismatch). */
const MIN_INSTALMENT_GROSS_MINOR = 100n;

/** A partner's settlements file of the day while it is built, and what its defects mean for matching. */
export interface SettlementDay {
  readonly records: SettlementRow[];
  /** Broken rows: indices into the first `plain` lines only. */
  readonly injected: InjectedRows;
  readonly counts: {
    readonly invalid: number;
    readonly duplicatesWithinFile: number;
    readonly settlements: number;
    readonly matchedTransactions: number;
    readonly partiallySettled: number;
    readonly unmatched: number;
    readonly amountMismatches: number;
    readonly orphanSettlements: number;
  };
}

/**
 * Settle a partner's valid payments of the day, with the special cases its rules can express.
 * 1. Set aside payments for: no settlement, first instalment only and two instalments that add up (rules with
 *    instalments), 5 minor units over, payout batches of three (rules with a payout-batch pass).
 * 2. One net-of-fee line for every other payment; break some of those lines (their payments stay unmatched).
 * 3. Append the special lines, orphan lines and exact copies of valid plain lines.
 */
export function settlementDay(
  context: LineContext,
  payments: readonly TransactionRow[],
  rules: MatchingRules,
  rates: DayRates,
): SettlementDay {
  const instalments = rules.passes.some((pass) => pass.partialSettlements);
  const batches = rules.passes.some((pass) => pass.payoutBatches);
  const order = shuffle(context.random, payments.length).map((index) => payments[index] as TransactionRow);
  const big = order.filter((row) => parseMinor(row.amount, row.currency) >= MIN_INSTALMENT_GROSS_MINOR);
  const used = new Set<TransactionRow>();
  const takeFrom = (source: readonly TransactionRow[], count: number) => {
    const taken = source.filter((row) => !used.has(row)).slice(0, count);
    if (taken.length < count)
      throw new Error(`${context.partner.id} has too few payments for the day's cases`);
    for (const row of taken) used.add(row);
    return taken;
  };
  const count = (rate: number) => injectedCount(rate, payments.length);
  const missing = takeFrom(order, count(rates.missingSettlements));
  const partial = instalments ? takeFrom(big, count(rates.partialSettlements)) : [];
  const pairs = instalments ? takeFrom(big, count(rates.instalmentPairs)) : [];
  const over = takeFrom(order, count(rates.amountMismatches));
  const batchMembers = batches ? payoutBatchMembers(order, used, count(rates.payoutBatches)) : [];

  const plain = order
    .filter((row) => !used.has(row))
    .map((row) => settlementRow(context.random, context.partner, context.date, row));
  const invalid = injectedCount(rates.invalidSettlements, plain.length, SETTLEMENT_DEFECTS.length);
  const kinds = Array.from(
    { length: invalid },
    (_, index) => SETTLEMENT_DEFECTS[index % SETTLEMENT_DEFECTS.length] as DefectKind,
  );
  const injected = injectRowDefects(plain, 'settlements', context.random, { kinds, cardNumbers: 0 });

  const stamp = context.date.replaceAll('-', '');
  const special = [
    ...partial.map((row) => firstInstalmentOnly(context, row)),
    ...pairs.flatMap((row) => instalmentsThatAddUp(context, row)),
    ...over.map((row) => settledOver(context, row, MISMATCH_MINOR)),
    ...batchMembers.map((members, index) =>
      payoutBatchLine(context, members, `sr_batch_${stamp}_${index + 1}`),
    ),
  ];
  const orphans = Array.from({ length: injectedCount(rates.orphanSettlements, plain.length) }, () =>
    orphanLine(context),
  );
  const validPlain = plain.filter((_, index) => !injected.broken.has(index));
  const copies = validPlain
    .slice(0, injectedCount(rates.settlementDuplicatesWithinFile, plain.length))
    .map((row) => ({ ...row }));
  const matchedBatchMembers = batchMembers.reduce((total, members) => total + members.length, 0);
  return {
    records: [...plain, ...special, ...orphans, ...copies],
    injected,
    counts: {
      invalid,
      duplicatesWithinFile: copies.length,
      settlements: validPlain.length + special.length + orphans.length,
      matchedTransactions: validPlain.length + pairs.length + matchedBatchMembers,
      partiallySettled: partial.length,
      unmatched: missing.length + invalid,
      amountMismatches: over.length,
      orphanSettlements: orphans.length,
    },
  };
}

/** `batches` groups of three unused same-currency payments. */
function payoutBatchMembers(
  order: readonly TransactionRow[],
  used: Set<TransactionRow>,
  batches: number,
): TransactionRow[][] {
  const byCurrency = new Map<string, TransactionRow[]>();
  for (const row of order) {
    if (used.has(row)) continue;
    const list = byCurrency.get(row.currency) ?? [];
    list.push(row);
    byCurrency.set(row.currency, list);
  }
  const pool = [...byCurrency.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (pool.length < batches * 3) throw new Error('too few same-currency payments for the payout batches');
  return Array.from({ length: batches }, (_, index) => {
    const members = pool.slice(index * 3, index * 3 + 3);
    for (const row of members) used.add(row);
    return members;
  });
}
