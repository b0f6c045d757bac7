import { findMatchingRules } from '../../../config/matching-rules.ts';
import type { DatasetName, PartnerSpec } from '../../../config/partners.ts';
import { createRandom, seedFor } from '../../../test/sample-data/prng.ts';
import {
  fileNameOf,
  landingKeyOf,
  type SampleFile,
  sampleFileOf,
  transactions,
} from '../../../test/sample-data/sample-set.ts';
import type { DayRates } from './day-rates.ts';
import type { CurrencySums, PartnerTruth } from './day-truth.ts';
import { settlementDay } from './settlement-day.ts';
import { appendRecordDefects, transactionParts } from './transaction-parts.ts';

/** One partner's files of the day and the ground truth of what they hold. */
export interface PartnerDay {
  readonly files: SampleFile[];
  readonly truth: PartnerTruth;
}

/**
 * A partner's day: two transactions files and one settlements file, every file with its control-total trailer.
 *
 * Primary course:
 * 1. Seeded transactions, cut in two files, invalid rows injected in place.
 * 2. Settlements for the valid payments with the special cases the partner's matching rules can express (this sets
 *    payout-batch members' `settlement_reference`, so it runs before the transactions files are written).
 * 3. Duplicates and conflicts appended to the transactions files; every file encoded as the partner sends it.
 * @example partnerDay({ seed: 7, date: '2026-11-19', transactions: 10_000, partner, rates: DEFAULT_DAY_RATES })
 */
export function partnerDay(options: {
  seed: number;
  date: string;
  transactions: number;
  partner: PartnerSpec;
  rates: DayRates;
}): PartnerDay {
  const { partner, date, rates } = options;
  const rules = findMatchingRules(partner.id);
  if (!rules) throw new Error(`config/matching-rules.ts has no rules for ${partner.id}`);
  const random = createRandom(seedFor(options.seed, `bench-day/${partner.id}/${date}`));
  const rows = transactions({ seed: options.seed, rowsPerFile: options.transactions }, partner, date);
  const parts = transactionParts(rows, random, rates);
  const payments = parts.flatMap((part) => part.valid.filter((row) => row.type === 'payment'));
  const settled = settlementDay({ random, partner, date }, payments, rules, rates);
  const defects = appendRecordDefects(parts, random, rates, partner);

  const named = (file: SampleFile, fileName: string): SampleFile => ({
    ...file,
    fileName,
    landingKey: landingKeyOf(partner.id, file.dataset, date, fileName),
  });
  const base = fileNameOf(partner.id, 'transactions', date).replace(/\.csv$/, '');
  const transactionFiles = parts.map((part, index) =>
    named(
      sampleFileOf({ partner, dataset: 'transactions', date, ...part, withTrailer: true }),
      `${base}-part${index + 1}.csv`,
    ),
  );
  const settlementFile = sampleFileOf({
    partner,
    dataset: 'settlements',
    date,
    records: settled.records,
    injected: settled.injected,
    withTrailer: true,
  });
  const files = [...transactionFiles, settlementFile];
  const rowsOf = (dataset: DatasetName) =>
    files.filter((file) => file.dataset === dataset).reduce((total, file) => total + file.expected.rows, 0);
  return {
    files,
    truth: {
      partner: partner.id,
      rows: { transactions: rowsOf('transactions'), settlements: rowsOf('settlements') },
      invalid: {
        transactions: parts.reduce((total, part) => total + part.injected.defects.length, 0),
        settlements: settled.counts.invalid,
      },
      duplicatesWithinFile: {
        transactions: defects.duplicatesWithinFile,
        settlements: settled.counts.duplicatesWithinFile,
      },
      duplicatesCrossFile: defects.duplicatesCrossFile,
      conflictsCrossFile: defects.conflictsCrossFile,
      settlingTransactions: payments.length,
      settlements: settled.counts.settlements,
      matchedTransactions: settled.counts.matchedTransactions,
      partiallySettled: settled.counts.partiallySettled,
      unmatched: settled.counts.unmatched,
      amountMismatches: settled.counts.amountMismatches,
      orphanSettlements: settled.counts.orphanSettlements,
      validSums: {
        transactions: sumValid(files, 'transactions'),
        settlements: sumValid(files, 'settlements'),
      },
    },
  };
}

/** Per-currency sums of the valid rows of a dataset's files (each file's own ground truth, added up). */
function sumValid(files: readonly SampleFile[], dataset: DatasetName): CurrencySums {
  const sums = new Map<string, bigint>();
  for (const file of files.filter((item) => item.dataset === dataset))
    for (const [currency, minor] of Object.entries(file.expected.valid.sums))
      sums.set(currency, (sums.get(currency) ?? 0n) + BigInt(minor));
  return Object.fromEntries(
    [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([c, m]) => [c, m.toString()]),
  );
}
