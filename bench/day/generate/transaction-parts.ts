import type { PartnerSpec } from '../../../config/partners.ts';
import { type DefectKind, TRANSACTION_DEFECTS } from '../../../test/sample-data/defects.ts';
import { formatMajor } from '../../../test/sample-data/money.ts';
import type { Random } from '../../../test/sample-data/prng.ts';
import type { TransactionRow } from '../../../test/sample-data/rows.ts';
import { parseMinor } from '../../../test/sample-data/rows.ts';
import { type InjectedRows, injectRowDefects, shuffle } from '../../../test/sample-data/sample-set.ts';
import { type DayRates, injectedCount } from './day-rates.ts';

/** One of a partner's transactions files while it is built: its rows (copies appended last) and what was broken. */
export interface TransactionPart {
  readonly records: TransactionRow[];
  readonly injected: InjectedRows;
  /** Valid rows of the part before any copy was appended. */
  readonly valid: readonly TransactionRow[];
}

/** What the record-level defects added, for the ground truth. */
export interface RecordDefects {
  readonly duplicatesWithinFile: number;
  readonly duplicatesCrossFile: number;
  readonly conflictsCrossFile: number;
}

/**
 * A partner's transactions of the day cut into two files (a day arrives as several files; cross-file dedup needs two),
 * each with invalid rows injected in place (one field each, the generator's defect kinds in turn).
 */
export function transactionParts(
  rows: TransactionRow[],
  random: Random,
  rates: DayRates,
): [TransactionPart, TransactionPart] {
  const half = Math.ceil(rows.length / 2);
  const invalid = injectedCount(rates.invalidTransactions, rows.length, TRANSACTION_DEFECTS.length);
  const part = (records: TransactionRow[], count: number): TransactionPart => {
    const kinds = Array.from(
      { length: count },
      (_, index) => TRANSACTION_DEFECTS[index % TRANSACTION_DEFECTS.length] as DefectKind,
    );
    const injected = injectRowDefects(records, 'transactions', random, { kinds, cardNumbers: 0 });
    return { records, injected, valid: records.filter((_, index) => !injected.broken.has(index)) };
  };
  return [part(rows.slice(0, half), Math.ceil(invalid / 2)), part(rows.slice(half), Math.floor(invalid / 2))];
}

/**
 * Append exact copies within each file, exact copies of first-file rows to the second file, and first-file ids with
 * another amount to the second file. Originals are refunds, chargebacks or reversals, so matching (payments only)
 * gives the same answer whichever file dedup sees first, and no original is used twice.
 */
export function appendRecordDefects(
  parts: readonly [TransactionPart, TransactionPart],
  random: Random,
  rates: DayRates,
  partner: PartnerSpec,
): RecordDefects {
  const [first, second] = parts;
  const pool = (part: TransactionPart) => {
    const others = part.valid.filter((row) => row.type !== 'payment');
    return shuffle(random, others.length).map((index) => others[index] as TransactionRow);
  };
  const firstPool = pool(first);
  const secondPool = pool(second);
  const total = first.valid.length + second.valid.length;
  const within = injectedCount(rates.duplicatesWithinFile, total, 2);
  const cross = injectedCount(rates.duplicatesCrossFile, total);
  const conflicts = injectedCount(rates.conflictsCrossFile, total);
  const take = (source: TransactionRow[], count: number, what: string): TransactionRow[] => {
    if (source.length < count) throw new Error(`${partner.id} has too few non-payment rows for ${what}`);
    return source.splice(0, count);
  };
  for (const row of take(firstPool, Math.ceil(within / 2), 'within-file duplicates'))
    first.records.push({ ...row });
  for (const row of take(secondPool, Math.floor(within / 2), 'within-file duplicates'))
    second.records.push({ ...row });
  for (const row of take(firstPool, cross, 'cross-file duplicates')) second.records.push({ ...row });
  for (const row of take(firstPool, conflicts, 'conflicts')) second.records.push(withOtherAmount(row));
  return { duplicatesWithinFile: within, duplicatesCrossFile: cross, conflictsCrossFile: conflicts };
}

/** The same record with its amount 7 minor units further from zero: a correction the partner re-sent unannounced. */
function withOtherAmount(row: TransactionRow): TransactionRow {
  const minor = parseMinor(row.amount, row.currency);
  return { ...row, amount: formatMajor(minor < 0n ? minor - 7n : minor + 7n, row.currency) };
}
