/**
 * A generated day of curated transactions as dedup leaves it: per partner, files of at most FILE_ROWS rows, each
 * file's unique rows in Parquet parts of PART_ROWS rows (row-number order, natural keys in random order), written
 * under a local folder standing for the silver bucket, and the dedup run records that name them.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { findDataset } from '../../contracts/datasets/catalog.ts';
import type { SilverColumn, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import { ParquetPartBuffer } from '../../lib/parquet/parquet-part-buffer.ts';
import { partNumber } from '../../lib/parquet/part-keys.ts';
import { createRandom, type Random } from '../../test/sample-data/prng.ts';

export const BUSINESS_DATE = '2026-11-20';
const DAY_START_MICROS = BigInt(Date.parse(`${BUSINESS_DATE}T00:00:00Z`)) * 1000n;
/** A partner's day arrives in files of at most this many rows (intraday deliveries). */
const FILE_ROWS = 200_000;
/** Rows per unique part, as dedup writes them (DEFAULT_DEDUP_LIMITS.partRows). */
const PART_ROWS = 100_000;
/** Share of the day's rows per partner, with the partner's currencies. */
const PARTNERS = [
  { id: 'acme-bank', share: 0.5, currencies: ['EUR', 'GBP'] },
  { id: 'globex-pay', share: 0.3, currencies: ['USD', 'JPY'] },
  { id: 'initech-acq', share: 0.2, currencies: ['JPY', 'KWD'] },
];
const EXPONENT: Readonly<Record<string, number>> = { EUR: 2, GBP: 2, USD: 2, JPY: 0, KWD: 3 };
/** Distinct cards seen in a day; a card pays several times, as in real traffic. */
const CARDS = 50_000;

const hex = (text: string) => createHash('sha256').update(text).digest('hex');

export interface CuratedDay {
  readonly runs: DedupRunRecord[];
  readonly rows: number;
  /** Amount per currency the rows hold, minor units, currencies sorted: what gold must sum to. */
  readonly sums: Record<string, string>;
}

function rowMaker(random: Random) {
  const fingerprints = Array.from({ length: CARDS }, (_, index) => hex(`card-${index}`));
  let ids = 0;
  return (currencies: readonly string[]) => {
    const currency = random.pick(currencies);
    const micros = DAY_START_MICROS + BigInt(random.int(0, 86_399_999)) * 1000n;
    const card = random.chance(0.5) ? random.int(0, CARDS - 1) : null;
    const value: Readonly<Record<string, SilverValue>> = {
      // A random prefix orders the key; the counter keeps it unique at any size.
      transaction_id: `tx_${random.id('', 8)}${(ids++).toString(36)}`,
      type: random.chance(0.95) ? 'payment' : 'refund',
      amount_minor: BigInt(random.int(1, 500_000)),
      currency,
      currency_exponent: EXPONENT[currency] ?? 2,
      occurred_at: micros,
      occurred_at_text: new Date(Number(micros / 1000n)).toISOString().replace('Z', '+00:00'),
      merchant_id: `m_${random.int(1, 20_000)}`,
      settlement_reference: random.chance(0.3) ? null : `sr_${random.id('', 10)}`,
      card_bin: card === null ? null : random.pick(['411111', '555555', '378282', '522222']),
      card_last4: card === null ? null : String(card % 10_000).padStart(4, '0'),
      card_fingerprint: card === null ? null : (fingerprints[card] as string),
    };
    return value;
  };
}

/**
 * Write `count` curated transactions rows of BUSINESS_DATE under `folder` (object keys as paths).
 * @example const day = await writeCuratedDay('/tmp/x', 2_000_000, 20261120)
 */
export async function writeCuratedDay(folder: string, count: number, seed: number): Promise<CuratedDay> {
  const contract = findDataset('transactions', 1);
  if (!contract) throw new Error('no transactions v1 contract in contracts/datasets/catalog.ts');
  const random = createRandom(seed);
  const nextRow = rowMaker(random);
  const sums = new Map<string, bigint>();
  const runs: DedupRunRecord[] = [];
  let written = 0;
  for (const [at, partner] of PARTNERS.entries()) {
    const share = at === PARTNERS.length - 1 ? count - written : Math.round(count * partner.share);
    for (let file = 0; file * FILE_ROWS < share; file += 1) {
      const fileRows = Math.min(FILE_ROWS, share - file * FILE_ROWS);
      const sha256 = hex(`${partner.id}/${BUSINESS_DATE}/${file}`);
      const fileId = `f_${hex(`${partner.id}\ntransactions\n${BUSINESS_DATE}\n${sha256}`).slice(0, 24)}`;
      const lineage = {
        partner: partner.id,
        businessDate: BUSINESS_DATE,
        fileId,
        sha256,
        runId: `run_${fileId}`,
        schemaV: 1,
      };
      const prefix = `silver/dedup/${fileId}/`;
      const keys: string[] = [];
      for (let start = 0; start < fileRows; start += PART_ROWS) {
        const part = new ParquetPartBuffer(contract.silverColumns, lineage);
        for (let line = start; line < Math.min(fileRows, start + PART_ROWS); line += 1) {
          const row = nextRow(partner.currencies);
          const currency = row.currency as string;
          sums.set(currency, (sums.get(currency) ?? 0n) + (row.amount_minor as bigint));
          part.append(valuesOf(contract.silverColumns, row), line + 2);
        }
        const key = `${prefix}part-${partNumber(keys.length)}.parquet`;
        await mkdir(dirname(join(folder, key)), { recursive: true });
        await writeFile(join(folder, key), part.finish());
        keys.push(key);
      }
      written += fileRows;
      runs.push({
        ...lineage,
        dataset: 'transactions',
        counts: { valid: fileRows, unique: fileRows, duplicates: 0, conflicts: 0 },
        unique: { bucket: 'silver', prefix, parts: keys },
      } as unknown as DedupRunRecord);
    }
  }
  const sorted = [...sums.keys()].sort().map((currency) => [currency, String(sums.get(currency))]);
  return { runs, rows: written, sums: Object.fromEntries(sorted) };
}

function valuesOf(
  columns: readonly SilverColumn[],
  row: Readonly<Record<string, SilverValue>>,
): SilverValue[] {
  return columns.map((column) => {
    if (!(column.name in row)) throw new Error(`the bench does not generate column ${column.name}`);
    return row[column.name] ?? null;
  });
}
