import { describe, expect, it } from 'vitest';
import type { MatchingRules, MatchPass } from '../../config/matching-rules.ts';
import { SettlementsMatchedPayloadSchema } from '../../contracts/events/settlements-matched.ts';
import { createRandom, type Random, shuffled } from '../../test/sample-data/prng.ts';
import { addDays } from './business-dates.ts';
import { toleranceFor } from './group-evaluation.ts';
import { inputFiles } from './input-checks.ts';
import { summarizeMatch } from './match-summary.ts';
import { matchSettlements } from './matching.ts';
import { resultRecords } from './result-records.ts';
import { type MatchableSettlement, type MatchableTransaction, rowId } from './rows.ts';
import { BY_REFERENCE, PARTNER, st, rules as testRules, tx } from './test-support/rows.ts';

const AS_OF = '2026-11-20';
const RUNS = 300;

function randomRules(random: Random): MatchingRules {
  const passes: MatchPass[] = [{ ...BY_REFERENCE, partialSettlements: random.chance(0.5) }];
  if (random.chance(0.6)) {
    passes.push({
      name: 'second',
      transactionField: 'settlement_reference',
      settlementField: random.pick(['settlement_id', 'payout_batch_id'] as const),
      partialSettlements: random.chance(0.3),
      payoutBatches: random.chance(0.7),
    });
  }
  return testRules({
    passes,
    toleranceMinor: { default: BigInt(random.int(0, 2)), byCurrency: { JPY: BigInt(random.int(0, 3)) } },
    feeTreatment: random.pick(['net', 'gross'] as const),
  });
}

/** Small pools of ids, amounts and currencies, so collisions (partials, batches, ambiguity) are common. */
function randomRows(random: Random): {
  transactions: MatchableTransaction[];
  settlements: MatchableSettlement[];
} {
  const date = () => addDays(AS_OF, -random.int(0, 7));
  const currency = () =>
    random.weighted([
      ['EUR', 8],
      ['USD', 1],
      ['JPY', 1],
    ] as const);
  const amount = () => BigInt(random.int(-2, 40));
  const batch = () => (random.chance(0.2) ? null : `B${random.int(0, 4)}`);
  const transactions = Array.from({ length: random.int(0, 25) }, (_, index) =>
    tx(random.chance(0.1) ? `t${random.int(0, 5)}` : `t${index}`, amount(), {
      currency: currency(),
      business_date: date(),
      settlement_reference: batch(),
    }),
  );
  const settlements = Array.from({ length: random.int(0, 25) }, (_, index) =>
    st(
      random.chance(0.3) ? `B${random.int(0, 4)}` : `s${index}`,
      `t${random.int(0, 30)}`,
      amount(),
      BigInt(random.int(0, 3)),
      {
        currency: currency(),
        business_date: date(),
        payout_batch_id: batch(),
      },
    ),
  );
  // Plant settlements that do settle some transactions (whole, in two instalments, or as a batch) with noise.
  let planted = 0;
  const plant = (
    reference: string,
    total: bigint,
    currency: string,
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
    planted += 1;
    settlements.push(
      st(`p${planted}`, reference, total - fee + noise, fee, { currency, business_date: date(), ...options }),
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
  const byReference = new Map<string, MatchableTransaction[]>();
  for (const row of transactions) {
    if (row.settlement_reference === null) continue;
    const key = `${row.settlement_reference}/${row.currency}`;
    byReference.set(key, [...(byReference.get(key) ?? []), row]);
  }
  for (const rows of byReference.values()) {
    const [first] = rows;
    if (first?.settlement_reference == null || !random.chance(0.5)) continue;
    const total = rows.reduce((sum, row) => sum + row.amount_minor, 0n);
    const reference = first.settlement_reference;
    planted += 1;
    settlements.push(
      st(reference, `batch-${planted}`, total, 0n, {
        currency: first.currency,
        business_date: date(),
        payout_batch_id: reference,
      }),
    );
  }
  return { transactions, settlements };
}

const lines = (result: ReturnType<typeof matchSettlements>) =>
  [...resultRecords(result)].map((record) => JSON.stringify(record)).join('\n');

describe('matchSettlements over random inputs (seeded)', () => {
  it.each(Array.from({ length: RUNS }, (_, seed) => seed))(
    'keeps every row exactly once, seed %i',
    (seed) => {
      // Prepare
      const random = createRandom(seed + 1);
      const rules = randomRules(random);
      const { transactions, settlements } = randomRows(random);

      // Act
      const result = matchSettlements({ partner: PARTNER, asOf: AS_OF, transactions, settlements, rules });
      const again = matchSettlements({
        partner: PARTNER,
        asOf: AS_OF,
        transactions: shuffled(random, transactions),
        settlements: shuffled(random, settlements),
        rules,
      });

      // Assess: conservation by identity, not just by count
      const mismatchGroups = result.amountMismatches.map((mismatch) => mismatch.group);
      const seenTransactions = [
        ...[...result.matched, ...result.partiallySettled, ...mismatchGroups].flatMap(
          (group) => group.transactions,
        ),
        ...result.unmatchedTransactions.map((item) => item.transaction),
      ].map(rowId);
      const seenSettlements = [
        ...[...result.matched, ...result.partiallySettled, ...mismatchGroups].flatMap(
          (group) => group.settlements,
        ),
        ...result.orphanSettlements.map((item) => item.settlement),
      ].map(rowId);
      expect(seenTransactions.sort()).toEqual(transactions.map(rowId).sort());
      expect(seenSettlements.sort()).toEqual(settlements.map(rowId).sort());

      // Assess: byte-identical whatever the input order
      expect(lines(again)).toBe(lines(result));

      // Assess: every outcome is what its name says
      for (const group of result.matched) {
        const pass = rules.passes.find((candidate) => candidate.name === group.rule);
        expect(
          group.differenceMinor < 0n ? -group.differenceMinor : group.differenceMinor,
        ).toBeLessThanOrEqual(toleranceFor(rules, group.currency));
        expect(
          [...group.transactions, ...group.settlements].every((row) => row.currency === group.currency),
        ).toBe(true);
        if (group.shape === '1:N') expect(pass?.partialSettlements).toBe(true);
        if (group.shape === 'N:1') expect(pass?.payoutBatches).toBe(true);
      }
      for (const group of result.partiallySettled) {
        expect(group.transactions).toHaveLength(1);
        const sign = group.expectedMinor < 0n ? -1n : 1n;
        expect(group.outstandingMinor * sign).toBeGreaterThan(toleranceFor(rules, group.currency));
      }
      for (const mismatch of result.amountMismatches) {
        if (mismatch.cause === 'CURRENCY') {
          expect(
            new Set([...mismatch.transactionCurrencies, ...mismatch.settlementCurrencies]).size,
          ).toBeGreaterThan(1);
        } else {
          const difference =
            mismatch.differenceMinor < 0n ? -mismatch.differenceMinor : mismatch.differenceMinor;
          expect(difference).toBeGreaterThan(toleranceFor(rules, mismatch.currency));
        }
      }

      // Assess: the event contract accepts the summary (its refinements re-check count and money conservation)
      const window = result.window;
      const inputs = inputFiles(PARTNER, AS_OF, window, transactions, settlements).map((file) => ({
        ...file,
        dedupRunId: `dedup-${file.fileId}`,
      }));
      const payload = {
        partner: PARTNER,
        businessDate: AS_OF,
        window,
        matchRunId: `match-${seed}`,
        ...summarizeMatch(result, { transactions, settlements }),
        results: { bucket: 'b', prefix: 'match/', parts: ['match/part-00000.jsonl'] },
        inputs,
      };
      if (inputs.length > 0) expect(SettlementsMatchedPayloadSchema.parse(payload)).toEqual(payload);
    },
  );
});
