import type {
  DatasetContract,
  SilverColumn,
  SilverValue,
} from '../../contracts/datasets/dataset-contract.ts';
import { dateToEpochDays } from '../../contracts/datasets/fields.ts';
import { GoldInputError } from './errors.ts';
import { RUN_SPECIFIC_COLUMNS } from './gold-content.ts';
import type { GoldTarget } from './gold-keys.ts';

/**
 * One curated row as read from dedup's unique parts: silver column name → value (bigint for INT64 and
 * TIMESTAMP_MICROS, number for INT32 and DATE as days since epoch, string, or null). Run-specific lineage
 * (`_run_id`) may be present and is dropped.
 */
export type GoldRow = Readonly<Record<string, SilverValue>>;

function typeMatches(column: SilverColumn, value: SilverValue): boolean {
  switch (column.type) {
    case 'STRING':
      return typeof value === 'string';
    case 'INT32':
    case 'DATE':
      return typeof value === 'number' && Number.isInteger(value);
    case 'INT64':
    case 'TIMESTAMP_MICROS':
      return typeof value === 'bigint';
  }
}

/** Names a row may carry, per column list: built once per writer, not once per row (it is on the hot path). */
const knownColumns = new WeakMap<readonly SilverColumn[], ReadonlySet<string>>();

function knownColumnsOf(columns: readonly SilverColumn[]): ReadonlySet<string> {
  let known = knownColumns.get(columns);
  if (!known) {
    known = new Set([...columns.map((column) => column.name), ...RUN_SPECIFIC_COLUMNS]);
    knownColumns.set(columns, known);
  }
  return known;
}

/**
 * The row's values in gold column order, checked against the columns and the partition: right JS type per
 * column, nulls only where nullable, business date and schema version of the partition, no unknown column.
 */
export function goldValuesOf(
  row: GoldRow,
  columns: readonly SilverColumn[],
  target: Omit<GoldTarget, 'runId'>,
): SilverValue[] {
  const where = () => `row ${String(row._file_id)}:${String(row._row_number)}`;
  const known = knownColumnsOf(columns);
  for (const name of Object.keys(row)) {
    if (!known.has(name))
      throw new GoldInputError(
        `${where()} has column ${name}, which ${target.dataset} v${target.schemaV} does not`,
      );
  }
  const values = columns.map((column) => {
    const value = row[column.name] ?? null;
    if (value === null ? !column.nullable : !typeMatches(column, value)) {
      const seen = value === null ? 'null' : typeof value;
      throw new GoldInputError(
        `${where()} holds ${seen} in ${column.name} (${column.type}${column.nullable ? ', nullable' : ''})`,
      );
    }
    return value;
  });
  if (row.business_date !== dateToEpochDays(target.businessDate))
    throw new GoldInputError(`${where()} is not of business date ${target.businessDate}`);
  if (row._schema_v !== target.schemaV)
    throw new GoldInputError(
      `${where()} has schema v${String(row._schema_v)}, the partition v${target.schemaV}`,
    );
  return values;
}

const compareValue = (a: SilverValue, b: SilverValue): number => {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
};

/**
 * Gold order: the contract's natural key (e.g. partner, transaction_id), then lineage (file id, row number).
 * Strings compare by UTF-16 code units, never by locale, so the order is the same on every machine.
 */
export function goldOrder(contract: DatasetContract): {
  compare: (a: GoldRow, b: GoldRow) => number;
  naturalKeyOf: (row: GoldRow) => string;
} {
  const keyFields = [...contract.naturalKey];
  const order = [...keyFields, '_file_id', '_row_number'];
  return {
    compare(a, b) {
      for (const field of order) {
        const difference = compareValue(a[field] ?? null, b[field] ?? null);
        if (difference !== 0) return difference;
      }
      return 0;
    },
    naturalKeyOf: (row) => JSON.stringify(keyFields.map((field) => String(row[field]))),
  };
}
