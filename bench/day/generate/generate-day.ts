import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { partners } from '../../../config/partners.ts';
import { type DayRates, DEFAULT_DAY_RATES } from './day-rates.ts';
import type { DayManifest, GeneratedFile, PartnerTruth } from './day-truth.ts';
import { partnerDay } from './partner-day.ts';

/** A Thursday: every partner is expected for both datasets (config/ready-gates.ts), so each gate is evaluated. */
export const BENCH_BUSINESS_DATE = '2026-11-19';

/**
 * Records per transaction: a partner sends a settlement line for about 70 % of its transactions (its payments), so a
 * day of N records holds about N / 1.7 transactions.
 */
const RECORDS_PER_TRANSACTION = 1.7;

/**
 * Write a generated day of about `records` records (three partners, transactions and settlements) under `folder`, each
 * file at its landing key, and return the manifest with the ground truth. One partner is held in memory at a time.
 * @example const manifest = await generateDay({ records: 100_000, seed: 20261119, folder: '/tmp/day' })
 */
export async function generateDay(options: {
  records: number;
  seed: number;
  folder: string;
  rates?: DayRates;
}): Promise<DayManifest> {
  const started = performance.now();
  const transactionsPerPartner = Math.max(
    200,
    Math.round(options.records / partners.length / RECORDS_PER_TRANSACTION),
  );
  const files: GeneratedFile[] = [];
  const truths: PartnerTruth[] = [];
  for (const partner of partners) {
    const day = partnerDay({
      seed: options.seed,
      date: BENCH_BUSINESS_DATE,
      transactions: transactionsPerPartner,
      partner,
      rates: options.rates ?? DEFAULT_DAY_RATES,
    });
    for (const file of day.files) {
      const path = join(options.folder, file.landingKey);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.bytes);
      files.push({
        path,
        landingKey: file.landingKey,
        partner: file.partner,
        dataset: file.dataset,
        encoding: file.encoding,
        bytes: file.bytes.byteLength,
        rows: file.expected.rows,
      });
    }
    truths.push(day.truth);
  }
  return {
    seed: options.seed,
    businessDate: BENCH_BUSINESS_DATE,
    requestedRecords: options.records,
    records: files.reduce((total, file) => total + file.rows, 0),
    bytes: files.reduce((total, file) => total + file.bytes, 0),
    files,
    partners: truths,
    generatedInSeconds: (performance.now() - started) / 1000,
  };
}
