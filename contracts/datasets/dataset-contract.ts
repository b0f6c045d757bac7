import type { z } from 'zod';
import type { DatasetNameSchema } from '../events/file-landed.ts';
import { type InstantWindow, instantProblem } from './instants.ts';

export type DatasetName = z.infer<typeof DatasetNameSchema>;

/** Physical types silver Parquet columns are written with. Money is INT64 minor units, never floating point. */
export type SilverType = 'STRING' | 'INT32' | 'INT64' | 'DATE' | 'TIMESTAMP_MICROS';

/** One column of a silver Parquet file. */
export interface SilverColumn {
  readonly name: string;
  readonly type: SilverType;
  readonly nullable: boolean;
  readonly description: string;
}

/** A silver cell: bigint for INT64/TIMESTAMP_MICROS, number for INT32/DATE (days since epoch), else string. */
export type SilverValue = string | number | bigint | null;

/** What a card number may become in silver: never the PAN itself. */
export interface CardTokens {
  readonly bin: string;
  readonly last4: string;
  /** HMAC-SHA256 of the PAN under a secret key, hex: joins across files without revealing the PAN. */
  readonly fingerprint: string;
}

/** Services the row-to-silver mapping needs from its caller (keyed secrets stay outside contracts). */
export interface SilverContext {
  cardTokens(pan: string): CardTokens;
}

/**
 * One version of one partner dataset: the CSV columns, the per-row schema (strings in, refinements only,
 * so `z.toJSONSchema(rowSchema)` works), the natural key, and the silver shape rows are written in.
 */
export interface DatasetContract<Row extends Record<string, string> = Record<string, string>> {
  readonly name: DatasetName;
  readonly version: number;
  readonly description: string;
  /** Header columns, exactly and in order. */
  readonly columns: readonly (keyof Row & string)[];
  /** Row schema over the raw CSV strings; use `safeParse`: a bad row is quarantined, not thrown. */
  readonly rowSchema: z.ZodType<Row>;
  /** Fields identifying a record across files (dedup); `partner` is the lineage column. */
  readonly naturalKey: readonly string[];
  /** Columns the control-total trailer sums (amount per currency). */
  readonly control: {
    readonly amountColumn: keyof Row & string;
    readonly currencyColumn: keyof Row & string;
    /**
     * The silver columns the same amount and currency are written to (INT64 minor units, ISO code), so a stage
     * that reads silver (dedup, reconcile) sums exactly what schema-validate summed for the control totals.
     */
    readonly silverAmountColumn: string;
    readonly silverCurrencyColumn: string;
  };
  /**
   * Instant columns and the window their values must fall in (relative to the file's business date, so a rerun
   * agrees); a value outside quarantines the row. `DEFAULT_INSTANT_WINDOW` unless the dataset says otherwise.
   */
  readonly instants: {
    readonly columns: readonly (keyof Row & string)[];
    readonly window: InstantWindow;
  };
  /** The one column allowed to hold a card number; a PAN anywhere else quarantines the row. */
  readonly cardColumn: (keyof Row & string) | null;
  /** Dataset columns of the silver file, before the lineage columns. */
  readonly silverColumns: readonly SilverColumn[];
  /** Map a valid row to silver values, in `silverColumns` order. */
  toSilver(row: Row, context: SilverContext): SilverValue[];
}

/** Lineage columns appended to every silver row, in this order. */
/** Silver columns beside every amount: its ISO 4217 code and the exponent its minor units use. */
export const CURRENCY_SILVER_COLUMNS: readonly SilverColumn[] = [
  { name: 'currency', type: 'STRING', nullable: false, description: 'ISO 4217 code.' },
  {
    name: 'currency_exponent',
    type: 'INT32',
    nullable: false,
    description: 'ISO 4217 minor-unit exponent used.',
  },
];

/**
 * Silver columns of one instant: UTC microseconds, and the text as received (with the partner's offset).
 * @example instantSilverColumns('settled_at') // settled_at, settled_at_text
 */
export function instantSilverColumns(name: string): readonly SilverColumn[] {
  return [
    { name, type: 'TIMESTAMP_MICROS', nullable: false, description: 'Instant, UTC.' },
    {
      name: `${name}_text`,
      type: 'STRING',
      nullable: false,
      description: "As received, with the partner's offset.",
    },
  ];
}

export const LINEAGE_COLUMNS: readonly SilverColumn[] = [
  { name: 'partner', type: 'STRING', nullable: false, description: 'Partner id the file came from.' },
  {
    name: 'business_date',
    type: 'DATE',
    nullable: false,
    description: "Business date of the file, in the partner's zone.",
  },
  { name: '_file_id', type: 'STRING', nullable: false, description: 'Registered file the row came from.' },
  { name: '_file_sha256', type: 'STRING', nullable: false, description: 'SHA-256 of the raw file bytes.' },
  {
    name: '_row_number',
    type: 'INT64',
    nullable: false,
    description: 'Physical line (1-based, header is 1) the record starts on.',
  },
  { name: '_run_id', type: 'STRING', nullable: false, description: 'Run that validated the file.' },
  {
    name: '_schema_v',
    type: 'INT32',
    nullable: false,
    description: 'Dataset contract version the row was validated against.',
  },
];

/** Every column of a dataset's silver file: dataset columns, then lineage. */
export function silverColumnsOf(contract: DatasetContract): readonly SilverColumn[] {
  return [...contract.silverColumns, ...LINEAGE_COLUMNS];
}

/**
 * Declare a dataset contract, checking its internal consistency once at load time (a bug, so it throws).
 * @example export const TransactionsV1 = defineDataset({ name: 'transactions', version: 1, ... })
 */
export function defineDataset<Row extends Record<string, string>>(
  contract: DatasetContract<Row>,
): DatasetContract<Row> {
  const columns = new Set<string>(contract.columns);
  const problems: string[] = [];
  if (columns.size !== contract.columns.length) problems.push('duplicate column names');
  for (const column of [
    contract.control.amountColumn,
    contract.control.currencyColumn,
    contract.cardColumn,
  ]) {
    if (column !== null && !columns.has(column)) problems.push(`unknown column ${column}`);
  }
  for (const column of contract.instants.columns) {
    if (!columns.has(column)) problems.push(`unknown instant column ${column}`);
  }
  const { earliest, yearsAfterBusinessDate } = contract.instants.window;
  if (instantProblem(earliest) !== null) problems.push(`instant window starts at a non-instant ${earliest}`);
  if (!Number.isInteger(yearsAfterBusinessDate) || yearsAfterBusinessDate < 1)
    problems.push('instant window must end a whole number of years (≥ 1) after the business date');
  for (const field of contract.naturalKey) {
    if (field !== 'partner' && !columns.has(field))
      problems.push(`natural key field ${field} is not a column`);
  }
  const silverNames = silverColumnsOf(contract as unknown as DatasetContract).map((column) => column.name);
  if (new Set(silverNames).size !== silverNames.length) problems.push('duplicate silver column names');
  const silverType = (name: string) => contract.silverColumns.find((column) => column.name === name)?.type;
  if (silverType(contract.control.silverAmountColumn) !== 'INT64')
    problems.push(
      `control silver amount column ${contract.control.silverAmountColumn} is not an INT64 column`,
    );
  if (silverType(contract.control.silverCurrencyColumn) !== 'STRING')
    problems.push(
      `control silver currency column ${contract.control.silverCurrencyColumn} is not a STRING column`,
    );
  if (problems.length > 0) {
    throw new Error(
      `Dataset contract ${contract.name} v${contract.version} is inconsistent: ${problems.join('; ')}.`,
    );
  }
  return contract;
}
