/**
 * Gold build scaling: `buildGoldPartition` (sort, check, hash, Parquet parts) over N curated transactions rows
 * of one business date held in memory, as ready-publisher does after `readCuratedRows`. Rows are made the way
 * the pipeline makes them (sample-data CSV record → `TransactionsV1.toSilver` → the row shape `readCuratedRows`
 * builds): three partners with their own currencies and zones, files of at most FILE_ROWS rows, a card on half
 * the rows, unique natural keys in a seeded random order. Only the build is timed; the input's RSS and heap
 * are printed beside the peak. Run: npm exec -- tsx --expose-gc bench/gold-build.bench.ts [rows]
 */
import { createHash } from 'node:crypto';
import { partners } from '../config/partners.ts';
import { findDataset } from '../contracts/datasets/catalog.ts';
import type { DatasetContract } from '../contracts/datasets/dataset-contract.ts';
import { buildGoldPartition, type GoldRow } from '../services/ready-publisher/gold-partition.ts';
import { createRandom, type Random } from '../test/sample-data/prng.ts';
import { transactionRow } from '../test/sample-data/rows.ts';
import { generateInput, measure, mib, report, rowsArgument } from './measure.ts';
import { shuffle } from './shuffle.ts';

const rows = rowsArgument(1_000_000);
const contract = ((): DatasetContract => {
  const found = findDataset('transactions', 1);
  if (!found) throw new Error('no transactions v1 contract in contracts/datasets/catalog.ts');
  return found;
})();
const columnOf = (name: string) => contract.silverColumns.findIndex((column) => column.name === name);
const AMOUNT = columnOf(contract.control.silverAmountColumn);
const CURRENCY = columnOf(contract.control.silverCurrencyColumn);
const BUSINESS_DATE = '2026-11-20';
const BUSINESS_DAY = Date.parse(`${BUSINESS_DATE}T00:00:00Z`) / 86_400_000;
/** A partner's day arrives in files of at most this many rows (intraday deliveries). */
const FILE_ROWS = 200_000;
/** Share of the day's rows per partner. */
const SHARES: Readonly<Record<string, number>> = { 'acme-bank': 0.5, 'globex-pay': 0.3, 'initech-acq': 0.2 };
/** Distinct cards seen in a day; a card pays several times, as in real traffic. */
const CARDS = 50_000;
const hex = (text: string) => createHash('sha256').update(text).digest('hex');

function cardPool(random: Random): { bin: string; last4: string; fingerprint: string }[] {
  return Array.from({ length: CARDS }, (_, index) => ({
    bin: random.pick(['411111', '555555', '378282', '522222']),
    last4: String(random.int(0, 9999)).padStart(4, '0'),
    fingerprint: hex(`card-${index}`),
  }));
}

/** N curated rows in a seeded random order, and the amount per currency they must sum to. */
function curatedRows(count: number, random: Random): { rows: GoldRow[]; sums: Map<string, bigint> } {
  const cards = cardPool(random);
  const context = { cardTokens: () => random.pick(cards) };
  const sums = new Map<string, bigint>();
  const out: GoldRow[] = [];
  const senders = partners.filter((partner) => partner.id in SHARES);
  senders.forEach((partner, at) => {
    const last = at === senders.length - 1;
    const share = last ? count - out.length : Math.round(count * (SHARES[partner.id] ?? 0));
    for (let file = 0; file * FILE_ROWS < share; file += 1) {
      const sha256 = hex(`${partner.id}/${BUSINESS_DATE}/${file}`);
      const fileId = `f_${hex(`${partner.id}\ntransactions\n${BUSINESS_DATE}\n${sha256}`).slice(0, 24)}`;
      for (let line = 0; line < Math.min(FILE_ROWS, share - file * FILE_ROWS); line += 1) {
        const record = transactionRow(random, partner, BUSINESS_DATE);
        // A random prefix orders the key; the row index keeps it unique at any N.
        record.transaction_id = `tx_${random.id('', 8)}${out.length.toString(36)}`;
        if (random.chance(0.5)) record.card_number = '4111111111111111';
        const values = contract.toSilver(record, context);
        const currency = values[CURRENCY] as string;
        sums.set(currency, (sums.get(currency) ?? 0n) + (values[AMOUNT] as bigint));
        // The shape readCuratedRows builds (services/ready-publisher/gold-input.ts).
        out.push({
          ...Object.fromEntries(
            contract.silverColumns.map((column, index) => [column.name, values[index] ?? null]),
          ),
          partner: partner.id,
          business_date: BUSINESS_DAY,
          _file_id: fileId,
          _file_sha256: sha256,
          _row_number: BigInt(line + 2),
          _schema_v: 1,
        });
      }
    }
  });
  shuffle(out, random);
  return { rows: out, sums };
}

const input = generateInput(
  () => curatedRows(rows, createRandom(20261120)),
  (made) => ({ text: `${made.rows.length.toLocaleString('en')} curated rows`, rows: made.rows.length }),
);

const target = {
  dataset: 'transactions' as const,
  businessDate: BUSINESS_DATE,
  runId: 'run_bench',
  schemaV: 1,
};
const measured = measure(() => buildGoldPartition(input.rows, target));
const partition = measured.value;
const expected = Object.fromEntries(
  [...input.sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, s]) => [c, String(s)]),
);
if (partition.rowCount !== rows || JSON.stringify(partition.sums) !== JSON.stringify(expected))
  throw new Error(`gold lost rows or money: ${partition.rowCount} rows, ${JSON.stringify(partition.sums)}`);
const parquetBytes = partition.parts.reduce((total, part) => total + part.bytes.byteLength, 0);
report(
  'gold build (buildGoldPartition)',
  { rows },
  measured,
  `${partition.parts.length} Parquet parts, ${mib(parquetBytes)} (${(parquetBytes / Math.max(rows, 1)).toFixed(0)} B/row); ` +
    `${Object.keys(partition.byPartner).length} partners, currencies ${Object.keys(partition.sums).join(' ')}; ` +
    `content ${partition.contentHash.slice(0, 12)}`,
);
