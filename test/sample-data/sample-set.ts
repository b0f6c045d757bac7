import { type DatasetName, type PartnerSpec, partners as registeredPartners } from '../../config/partners.ts';
import type { ControlTotals } from '../../contracts/events/file-validated.ts';
import { csvLine, joinLines, trailerLine } from './csv.ts';
import {
  type DefectKind,
  type InjectedDefect,
  injectSettlementDefect,
  injectTransactionDefect,
  moneyReadable,
  SETTLEMENT_DEFECTS,
  TRANSACTION_DEFECTS,
} from './defects.ts';
import { encodeFor } from './encoding.ts';
import { addTo, type MinorSums, minorRecord, trailerSums } from './money.ts';
import { createRandom, type Random, seedFor, shuffled } from './prng.ts';
import { profileOf } from './profiles.ts';
import {
  parseMinor,
  SETTLEMENT_COLUMNS,
  type SettlementRow,
  settlementRow,
  TRANSACTION_COLUMNS,
  type TransactionRow,
  transactionRow,
} from './rows.ts';

export interface SampleSetOptions {
  seed: number;
  /** Business dates (YYYY-MM-DD) in each partner's zone. */
  dates: readonly string[];
  rowsPerFile: number;
  /** Which dates get row defects: the first date only (default), every date, or none. */
  defects?: 'first-date' | 'all-dates' | 'none';
  /** Put valid test PANs into two rows of the first partner's first transactions file. */
  cardNumbers?: boolean;
  partners?: readonly PartnerSpec[];
}

/** What a correct pipeline must conclude about one delivered file. */
export interface ExpectedFile {
  /** Data rows (trailer excluded). */
  rows: number;
  validRows: number;
  quarantinedRows: number;
  defects: InjectedDefect[];
  /** What the trailer declares (minor units), or null when the file has none. */
  declared: ControlTotals | null;
  /** Row count of all rows; sums over every row whose amount and currency are readable (what the trailer sums). */
  computed: ControlTotals;
  /** Row count and sums of the valid rows only. */
  valid: ControlTotals;
  /** Data rows holding a (Luhn-valid test) card number; non-empty means file-landing must route it to restricted/. */
  cardNumberRows: number[];
  /** Landing key of an identical earlier delivery when this one is a byte-for-byte re-delivery, else null. */
  redeliveryOf: string | null;
}

export interface SampleFile {
  landingKey: string;
  partner: string;
  dataset: DatasetName;
  businessDate: string;
  fileName: string;
  encoding: PartnerSpec['encoding'];
  bytes: Uint8Array;
  expected: ExpectedFile;
}

/** Test card numbers (Luhn-valid, issued for testing), digits only as the card_number column requires. */
export const TEST_PANS = ['4111111111111111', '5555555555554444', '378282246310005'] as const;

/**
 * Deterministic partner files: every partner × dataset it delivers × date, plus one byte-identical re-delivery
 * of the last file under the same landing key. Same options → same bytes.
 * @example generateSampleSet({ seed: 7, dates: ['2026-11-19', '2026-11-20'], rowsPerFile: 50 })
 */
export function generateSampleSet(options: SampleSetOptions): SampleFile[] {
  const files: SampleFile[] = [];
  const partners = options.partners ?? registeredPartners;
  options.dates.forEach((date, dateIndex) => {
    for (const partner of partners) {
      for (const dataset of ['transactions', 'settlements'] as const) {
        const spec = partner.datasets[dataset];
        if (!spec) continue;
        const injectDefects =
          options.defects === 'all-dates' ||
          ((options.defects ?? 'first-date') === 'first-date' && dateIndex === 0);
        const withCards = options.cardNumbers === true && files.length === 0 && dataset === 'transactions';
        const withTrailer = spec.trailer === 'required' || dateIndex % 2 === 0;
        files.push(buildFile(options, partner, dataset, date, { injectDefects, withCards, withTrailer }));
      }
    }
  });
  const last = files[files.length - 1];
  if (last)
    files.push({
      ...last,
      bytes: last.bytes.slice(),
      expected: { ...last.expected, redeliveryOf: last.landingKey },
    });
  return files;
}

/** The landing key a partner file is delivered under. */
export const landingKeyOf = (partner: string, dataset: DatasetName, date: string, fileName: string): string =>
  `inbound/${partner}/${dataset}/${date}/${fileName}`;

export const fileNameOf = (partner: string, dataset: DatasetName, date: string): string =>
  `${partner}-${dataset}-${date.replaceAll('-', '')}.csv`;

type FileFlags = { injectDefects: boolean; withCards: boolean; withTrailer: boolean };
type Row = { fields: string[]; currency: string; amount: string };
type AnyRecord = TransactionRow | SettlementRow;

function buildFile(
  options: SampleSetOptions,
  partner: PartnerSpec,
  dataset: DatasetName,
  date: string,
  flags: FileFlags,
): SampleFile {
  const random = createRandom(seedFor(options.seed, `${partner.id}/${dataset}/${date}`));
  const records =
    dataset === 'transactions'
      ? transactions(options, partner, date)
      : settlements(options, partner, date, random);
  const kinds = flags.injectDefects
    ? dataset === 'transactions'
      ? TRANSACTION_DEFECTS
      : SETTLEMENT_DEFECTS
    : [];
  const injected = injectRowDefects(records, dataset, random, {
    kinds,
    cardNumbers: flags.withCards ? 2 : 0,
  });
  return sampleFileOf({ partner, dataset, date, records, injected, withTrailer: flags.withTrailer });
}

/** Which rows `injectRowDefects` broke (index → kind) and where it put card numbers, with the ground truth. */
export interface InjectedRows {
  readonly defects: InjectedDefect[];
  readonly broken: ReadonlyMap<number, DefectKind>;
  /** Data row numbers (from 1) holding a test card number. */
  readonly cardRows: number[];
}

/**
 * Break one seeded-random row per defect kind (in place) and put test card numbers into `cardNumbers` other rows.
 * @example const injected = injectRowDefects(rows, 'transactions', random, { kinds: TRANSACTION_DEFECTS, cardNumbers: 0 })
 */
export function injectRowDefects(
  records: AnyRecord[],
  dataset: DatasetName,
  random: Random,
  options: { kinds: readonly DefectKind[]; cardNumbers: number },
): InjectedRows {
  const order = shuffle(random, records.length);
  const defectRows = order.slice(0, Math.min(options.kinds.length, records.length));
  const cardRows = order
    .slice(defectRows.length, defectRows.length + options.cardNumbers)
    .sort((a, b) => a - b);

  const defects: InjectedDefect[] = [];
  const broken = new Map<number, DefectKind>();
  defectRows.forEach((index, position) => {
    const kind = options.kinds[position] as DefectKind;
    const record = records[index] as TransactionRow & SettlementRow;
    const { field, value } =
      dataset === 'transactions'
        ? injectTransactionDefect(record, kind)
        : injectSettlementDefect(record, kind);
    broken.set(index, kind);
    defects.push({ row: index + 1, line: index + 2, field, kind, value });
  });
  cardRows.forEach((index, position) => {
    (records[index] as TransactionRow).card_number = TEST_PANS[position % TEST_PANS.length] as string;
  });
  defects.sort((a, b) => a.row - b.row);
  return { defects, broken, cardRows: cardRows.map((index) => index + 1) };
}

/**
 * The partner file for these records (defects already injected), with what a correct pipeline must conclude.
 * @example sampleFileOf({ partner, dataset: 'settlements', date, records, injected, withTrailer: true })
 */
export function sampleFileOf(input: {
  partner: PartnerSpec;
  dataset: DatasetName;
  date: string;
  records: readonly AnyRecord[];
  injected: InjectedRows;
  withTrailer: boolean;
}): SampleFile {
  const { partner, dataset, date, injected } = input;
  const columns = dataset === 'transactions' ? TRANSACTION_COLUMNS : SETTLEMENT_COLUMNS;
  const rows: Row[] = input.records.map((record) => {
    const values = record as Record<string, string>;
    return {
      fields: columns.map((column) => values[column] ?? ''),
      currency: values.currency ?? '',
      amount: values.amount ?? '',
    };
  });
  const all: MinorSums = new Map();
  const valid: MinorSums = new Map();
  rows.forEach((row, index) => {
    const kind = injected.broken.get(index);
    if (kind !== undefined && !moneyReadable(kind)) return;
    const minor = parseMinor(row.amount, row.currency);
    addTo(all, row.currency, minor);
    if (kind === undefined) addTo(valid, row.currency, minor);
  });

  const lines = [csvLine(columns), ...rows.map((row) => csvLine(row.fields))];
  if (input.withTrailer) lines.push(trailerLine(rows.length, trailerSums(all)));
  const fileName = fileNameOf(partner.id, dataset, date);
  const computed: ControlTotals = { rowCount: rows.length, sums: minorRecord(all) };
  const quarantined = injected.defects.length;
  return {
    landingKey: landingKeyOf(partner.id, dataset, date, fileName),
    partner: partner.id,
    dataset,
    businessDate: date,
    fileName,
    encoding: partner.encoding,
    bytes: encodeFor(partner.encoding, joinLines(lines, profileOf(partner.id).lineEnding)),
    expected: {
      rows: rows.length,
      validRows: rows.length - quarantined,
      quarantinedRows: quarantined,
      defects: injected.defects,
      declared: input.withTrailer ? computed : null,
      computed,
      valid: { rowCount: rows.length - quarantined, sums: minorRecord(valid) },
      cardNumberRows: injected.cardRows,
      redeliveryOf: null,
    },
  };
}

/** A partner's valid transactions for one date (re-derived from the seed, so settlements can reference them). */
export function transactions(
  options: Pick<SampleSetOptions, 'seed' | 'rowsPerFile'>,
  partner: PartnerSpec,
  date: string,
): TransactionRow[] {
  const random = createRandom(seedFor(options.seed, `${partner.id}/transactions-rows/${date}`));
  return Array.from({ length: options.rowsPerFile }, () => transactionRow(random, partner, date));
}

function settlements(
  options: SampleSetOptions,
  partner: PartnerSpec,
  date: string,
  random: Random,
): SettlementRow[] {
  const payments = partner.datasets.transactions
    ? transactions(options, partner, date).filter((row) => row.type === 'payment')
    : [];
  return Array.from({ length: options.rowsPerFile }, (_, index) =>
    settlementRow(random, partner, date, payments.length > 0 ? payments[index % payments.length] : undefined),
  );
}

/** A seeded permutation of 0..length-1. */
export function shuffle(random: Random, length: number): number[] {
  return shuffled(
    random,
    Array.from({ length }, (_, index) => index),
  );
}
