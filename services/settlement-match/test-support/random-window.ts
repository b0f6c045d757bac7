import { type MatchingRules, type MatchPass, matchingRules } from '../../../config/matching-rules.ts';
import type { TransactionType } from '../../../contracts/datasets/transactions.ts';
import type { Random } from '../../../test/sample-data/prng.ts';
import { addDays } from '../business-dates.ts';
import type { MatchableSettlement, MatchableTransaction } from '../rows.ts';
import { BY_REFERENCE, rules as testRules } from './rows.ts';

/**
 * Id texts that order differently in UTF-16 (JS) and UTF-8 (DuckDB): a supplementary character sorts before
 * U+E000–U+FFFF in JS, after them in bytes. Plus other non-ASCII text and case.
 */
const ID_TEXTS = ['', 'T', 'é', '中', '\ue000', '\uff01', '😀', '𝄞', 'a😀', 'a\uffee', ' x'];
const TYPES: readonly (readonly [TransactionType, number])[] = [
  ['payment', 8],
  ['refund', 1],
  ['chargeback', 1],
  ['reversal', 1],
];

/** Synthetic rules: every switch (instalments, batches, tolerance, fees, several passes and fields) drawn at random. */
export function randomRules(random: Random): MatchingRules {
  const passes: MatchPass[] = [{ ...BY_REFERENCE, partialSettlements: random.chance(0.5) }];
  if (random.chance(0.6))
    passes.push({
      name: 'second',
      transactionField: 'settlement_reference',
      settlementField: random.pick(['settlement_id', 'payout_batch_id'] as const),
      partialSettlements: random.chance(0.3),
      payoutBatches: random.chance(0.7),
    });
  if (random.chance(0.2))
    passes.push({
      name: 'third',
      transactionField: random.pick(['transaction_id', 'settlement_reference'] as const),
      settlementField: random.pick(['payout_batch_id', 'transaction_reference'] as const),
      partialSettlements: random.chance(0.5),
      payoutBatches: random.chance(0.5),
    });
  const settlementWaitDays = random.int(0, 3);
  return testRules({
    settlingTypes: TYPES.map(([type]) => type).filter((type) => type === 'payment' || random.chance(0.5)),
    passes,
    toleranceMinor: {
      default: BigInt(random.int(0, 2)),
      byCurrency: random.chance(0.5)
        ? { JPY: BigInt(random.int(0, 3)) }
        : { JPY: 0n, USD: BigInt(random.int(1, 4)) },
    },
    feeTreatment: random.pick(['net', 'gross'] as const),
    settlementWaitDays,
    windowDays: random.int(settlementWaitDays, settlementWaitDays + 4),
  });
}

/**
 * Rules for a seeded case: even seeds draw synthetic rules, odd seeds take each partner's rules from
 * config/matching-rules.ts in turn.
 * @example const rules = rulesForSeed(seed, random)
 */
export function rulesForSeed(seed: number, random: Random): MatchingRules {
  return seed % 2 === 0
    ? randomRules(random)
    : (matchingRules[(seed >> 1) % matchingRules.length] as MatchingRules);
}

/** A transaction id or reference: number `n` with a text that tests code-unit order. */
const idOf = (n: number): string => `t${ID_TEXTS[n % ID_TEXTS.length]}${Math.floor(n / 3)}`;

/**
 * Rows of one partner's window, before lineage: small pools of ids, keys, amounts and currencies so that
 * collisions (instalments, batches, ambiguity, N:M) are common, with settlements planted to settle some
 * transactions (whole, in instalments, as a batch) with noise, null and empty keys, negative amounts and every
 * transaction type.
 */
export function randomRows(
  random: Random,
  rules: MatchingRules,
  asOf: string,
): { transactions: MatchableTransaction[]; settlements: MatchableSettlement[] } {
  const date = () => addDays(asOf, -random.int(0, rules.windowDays));
  const currency = () =>
    random.weighted([
      ['EUR', 8],
      ['USD', 1],
      ['JPY', 1],
    ] as const);
  const amount = () => BigInt(random.int(-2, 40));
  const key = (prefix: string) =>
    random.chance(0.15)
      ? null
      : random.chance(0.1)
        ? ''
        : `${prefix}${ID_TEXTS[random.int(0, 10)]}${random.int(0, 4)}`;
  const lineage = (business_date: string) => ({
    partner: rules.partner,
    business_date,
    _file_id: '',
    _row_number: 0n,
    _run_id: '',
  });
  const transactions: MatchableTransaction[] = Array.from({ length: random.int(0, 25) }, (_, index) => ({
    ...lineage(date()),
    transaction_id: idOf(random.chance(0.15) ? random.int(0, 5) : index),
    type: random.weighted(TYPES),
    amount_minor: amount(),
    currency: currency(),
    settlement_reference: key('B'),
  }));
  const settlement = (
    id: string,
    reference: string,
    amountMinor: bigint,
    fee: bigint,
    options: Partial<MatchableSettlement> = {},
  ): MatchableSettlement => ({
    ...lineage(date()),
    settlement_id: id,
    transaction_reference: reference,
    amount_minor: amountMinor,
    fee_minor: fee,
    currency: currency(),
    payout_batch_id: key('B'),
    ...options,
  });
  const settlements = Array.from({ length: random.int(0, 25) }, (_, index) =>
    settlement(
      random.chance(0.3) ? `B${ID_TEXTS[random.int(0, 10)]}${random.int(0, 4)}` : `s${idOf(index)}`,
      random.chance(0.05) ? '' : idOf(random.int(0, 30)),
      amount(),
      BigInt(random.int(0, 3)),
    ),
  );
  let planted = 0;
  const plant = (
    reference: string,
    total: bigint,
    currencyCode: string,
    options: Partial<MatchableSettlement> = {},
  ) => {
    const fee = BigInt(random.int(0, 2));
    const noise = BigInt(
      random.weighted([
        [0, 6],
        [1, 2],
        [-3, 1],
        [5, 1],
      ] as const),
    );
    const net = rules.feeTreatment === 'net' ? total - fee : total;
    planted += 1;
    settlements.push(
      settlement(`p${idOf(planted)}`, reference, net + noise, fee, { currency: currencyCode, ...options }),
    );
  };
  for (const transaction of transactions) {
    const roll = random.int(0, 9);
    if (roll < 3) plant(transaction.transaction_id, transaction.amount_minor, transaction.currency);
    else if (roll < 5) {
      const first = transaction.amount_minor / 2n;
      plant(transaction.transaction_id, first, transaction.currency);
      if (random.chance(0.7))
        plant(transaction.transaction_id, transaction.amount_minor - first, transaction.currency);
    }
  }
  const batches = new Map<string, MatchableTransaction[]>();
  for (const row of transactions)
    if (row.settlement_reference)
      batches.set(row.settlement_reference, [...(batches.get(row.settlement_reference) ?? []), row]);
  for (const [reference, rows] of batches) {
    if (!random.chance(0.5)) continue;
    const total = rows.reduce((sum, row) => sum + row.amount_minor, 0n);
    const currencyCode = (rows[0] as MatchableTransaction).currency;
    plant(`batch-${planted}`, total, currencyCode, { settlement_id: reference, payout_batch_id: reference });
  }
  return { transactions, settlements };
}

/**
 * Give rows lineage: each (dataset, date) is sent in 1-3 files, each row lands in one of them at random and gets
 * the file's next line number; the run id is the file's.
 */
export function withLineage<Row extends MatchableTransaction | MatchableSettlement>(
  rows: readonly Row[],
  dataset: 'transactions' | 'settlements',
  random: Random,
): Row[] {
  const filesPerDate = new Map<string, number>();
  const nextLine = new Map<string, bigint>();
  return rows.map((row) => {
    const files = filesPerDate.get(row.business_date) ?? random.int(1, 3);
    filesPerDate.set(row.business_date, files);
    const fileId =
      `f_${dataset === 'transactions' ? 'a' : 'b'}${row.business_date.replaceAll('-', '')}${random.int(1, files)}`.padEnd(
        26,
        '0',
      );
    const line = nextLine.get(fileId) ?? 2n;
    nextLine.set(fileId, line + 1n);
    return { ...row, _file_id: fileId, _row_number: line, _run_id: `run_${fileId}` };
  });
}
