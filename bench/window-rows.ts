import { createHash } from 'node:crypto';
import { addDays } from '../services/settlement-match/business-dates.ts';
import type {
  MatchableSettlement,
  MatchableTransaction,
  RowLineage,
} from '../services/settlement-match/rows.ts';
import { exponentOf } from '../test/sample-data/money.ts';
import { createRandom } from '../test/sample-data/prng.ts';
import { MAX_MAJOR, profileOf } from '../test/sample-data/profiles.ts';
import { shuffle } from './shuffle.ts';

/** A partner's day arrives in files of at most this many rows. */
const FILE_ROWS = 200_000;

/** What becomes of one transaction; weights in percent. */
type Fate = '1:1' | '1:N' | 'N:1' | 'open' | 'amount' | 'fee' | 'currency';
const FATES: readonly (readonly [Fate, number])[] = [
  ['1:1', 88],
  ['1:N', 3],
  ['N:1', 5],
  ['open', 2],
  ['amount', 1],
  ['fee', 0.7],
  ['currency', 0.3],
];
/** Settlements that reference no transaction of the window, per transaction. */
const ORPHAN_RATE = 0.01;

/** Lineage of the rows one dataset sends on one date, rolling to a new file every FILE_ROWS rows. */
function lineageSource(partner: string, dataset: string): (date: string) => RowLineage {
  const files = new Map<string, { fileId: string; runId: string; rows: number; index: number }>();
  const hex = (text: string) => createHash('sha256').update(text).digest('hex');
  return (date) => {
    let file = files.get(date);
    if (!file || file.rows === FILE_ROWS) {
      const index = (file?.index ?? -1) + 1;
      const seed = `${partner}\n${dataset}\n${date}\n${index}`;
      file = {
        fileId: `f_${hex(seed).slice(0, 24)}`,
        runId: `run_${hex(`run\n${seed}`).slice(0, 32)}`,
        rows: 0,
        index,
      };
      files.set(date, file);
    }
    file.rows += 1;
    return {
      partner,
      business_date: date,
      _file_id: file.fileId,
      _row_number: BigInt(file.rows + 1),
      _run_id: file.runId,
    };
  };
}

/**
 * One partner's matching window, the shape `readWindowRows` gives: `transactions` payments over windowDays + 1
 * business dates, settled 0-2 days later (net of a 0.1-3 % fee), mostly 1:1, some in 2-3 instalments (a quarter
 * of them still short), some in payout batches of 2-6 (transaction `settlement_reference` = batch settlement
 * id), some still open, some off by amount, fee or currency, plus orphan settlements. Unique ids, seeded
 * random order.
 * @example windowRows({ transactions: 1000, partner: 'globex-pay', asOf: '2026-11-20', windowDays: 10, seed: 1 })
 */
export function windowRows(options: {
  transactions: number;
  partner: string;
  asOf: string;
  windowDays: number;
  seed: number;
}): { transactions: MatchableTransaction[]; settlements: MatchableSettlement[] } {
  const { partner, asOf, windowDays } = options;
  const random = createRandom(options.seed);
  const transactionLineage = lineageSource(partner, 'transactions');
  const settlementLineage = lineageSource(partner, 'settlements');
  const transactions: MatchableTransaction[] = [];
  const settlements: MatchableSettlement[] = [];
  const currencies = profileOf(partner).currencies;
  let ids = 0;
  const uniqueId = (prefix: string) => `${prefix}${random.id('', 8)}${(ids++).toString(36)}`;
  const settledOn = (date: string) => {
    const day = addDays(date, random.int(0, 2));
    return day > asOf ? asOf : day;
  };
  const settle = (reference: string, gross: bigint, currency: string, date: string, id = uniqueId('st_')) => {
    const fee = (gross * BigInt(random.int(10, 300))) / 10_000n;
    settlements.push({
      ...settlementLineage(settledOn(date)),
      settlement_id: id,
      transaction_reference: reference,
      amount_minor: gross - fee,
      fee_minor: fee,
      currency,
      payout_batch_id: `pb_${date.replaceAll('-', '')}_${random.int(1, 3)}`,
    });
  };
  const batches = new Map<string, { id: string; size: number; total: bigint; date: string }>();

  for (let index = 0; index < options.transactions; index += 1) {
    const date = addDays(asOf, -random.int(0, windowDays));
    const currency = random.weighted(currencies);
    const gross = BigInt(random.int(1, (MAX_MAJOR[currency] ?? 5000) * 10 ** exponentOf(currency)));
    const fate = random.weighted(FATES);
    const id = uniqueId('tx_');
    let batch: { id: string; size: number; total: bigint; date: string } | undefined;
    if (fate === 'N:1') {
      batch = batches.get(`${date}/${currency}`) ?? {
        id: uniqueId('pb_'),
        size: random.int(2, 6),
        total: 0n,
        date,
      };
      batches.set(`${date}/${currency}`, batch);
    }
    transactions.push({
      ...transactionLineage(date),
      transaction_id: id,
      type: 'payment',
      amount_minor: gross,
      currency,
      settlement_reference: batch?.id ?? (random.chance(0.6) ? uniqueId('sr_') : null),
    });
    if (fate === '1:1') settle(id, gross, currency, date);
    else if (fate === 'amount') settle(id, gross + BigInt(random.int(2, 500)), currency, date);
    else if (fate === 'currency') settle(id, gross, currency === 'USD' ? 'EUR' : 'USD', date);
    else if (fate === 'fee') {
      settlements.push({
        ...settlementLineage(settledOn(date)),
        settlement_id: uniqueId('st_'),
        transaction_reference: id,
        amount_minor: gross,
        fee_minor: 2n + gross / 100n,
        currency,
        payout_batch_id: null,
      });
    } else if (fate === '1:N') {
      const parts = random.int(2, 3);
      const short = random.chance(0.25);
      for (let part = 0; part < parts - (short ? 1 : 0); part += 1) {
        const last = part === parts - 1;
        settle(
          id,
          last ? gross - (gross / BigInt(parts)) * BigInt(parts - 1) : gross / BigInt(parts),
          currency,
          date,
        );
      }
    } else if (batch) {
      batch.total += gross;
      batch.size -= 1;
      if (batch.size === 0) {
        settle(batch.id, batch.total, currency, date, batch.id);
        batches.delete(`${date}/${currency}`);
      }
    }
  }
  for (const [key, batch] of batches)
    settle(batch.id, batch.total, key.slice(key.indexOf('/') + 1), batch.date, batch.id);
  for (let orphan = 0; orphan < options.transactions * ORPHAN_RATE; orphan += 1) {
    settle(
      uniqueId('ext_'),
      BigInt(random.int(100, 100_000)),
      random.weighted(currencies),
      addDays(asOf, -random.int(0, windowDays)),
    );
  }
  return { transactions: shuffle(transactions, random), settlements: shuffle(settlements, random) };
}
