import type { SilverColumn, SilverType } from '../../contracts/datasets/dataset-contract.ts';

const DAY_MS = 86_400_000;

/** Floor division: instants before 1970 keep their sub-millisecond digits positive. */
const floorDiv = (value: bigint, by: bigint): bigint => {
  const quotient = value / by;
  return value % by < 0n ? quotient - 1n : quotient;
};

/**
 * UTC microseconds as an ISO instant: milliseconds always, the last three digits only when they are not zero
 * (silver keeps microseconds; `Date` alone would drop them).
 * @example isoOfMicros(1795098254000000n) // '2026-11-19T14:24:14.000Z'
 * @example isoOfMicros(1795098254000001n) // '2026-11-19T14:24:14.000001Z'
 */
export function isoOfMicros(micros: bigint): string {
  const millis = floorDiv(micros, 1000n);
  const rest = micros - millis * 1000n;
  const date = new Date(Number(millis));
  if (Number.isNaN(date.getTime())) return micros.toString();
  const iso = date.toISOString();
  return rest === 0n ? iso : `${iso.slice(0, -1)}${rest.toString().padStart(3, '0')}Z`;
}

/** Days since 1970-01-01 as `YYYY-MM-DD` (Parquet DATE). */
function dateOfDays(days: bigint): string {
  const date = new Date(Number(days) * DAY_MS);
  return Number.isNaN(date.getTime()) ? days.toString() : date.toISOString().slice(0, 10);
}

const integerOf = (value: unknown): bigint | null => {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return null;
};

/** Anything without a declared type, JSON-safe: bigint as decimal text, a `Date` as an ISO instant. */
const jsonSafe = (value: unknown): unknown =>
  typeof value === 'bigint' ? value.toString() : value instanceof Date ? value.toISOString() : value;

/**
 * One silver cell as lineage shows it, by its contract type: INT64 as decimal text, TIMESTAMP_MICROS as an ISO
 * instant, DATE (epoch days) as `YYYY-MM-DD`. Takes what the Parquet reader gives (bigint, epoch days) and what
 * dedup's quarantine entries hold (decimal text), so both print the same.
 * @example silverCell('TIMESTAMP_MICROS', '1795098254000000') // '2026-11-19T14:24:14.000Z'
 */
export function silverCell(type: SilverType | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const integer = integerOf(value);
  switch (type) {
    case 'INT64':
      return integer === null ? jsonSafe(value) : integer.toString();
    case 'TIMESTAMP_MICROS':
      return integer === null ? jsonSafe(value) : isoOfMicros(integer);
    case 'DATE':
      return integer === null ? jsonSafe(value) : dateOfDays(integer);
    default:
      return jsonSafe(value);
  }
}

/**
 * A row's cells by the columns that describe them (names without a column are kept, JSON-safe).
 * @example silverCells(TransactionsV1.silverColumns, entry.record) // { occurred_at: '2026-11-19T14:24:14.000Z', … }
 */
export function silverCells(
  columns: readonly SilverColumn[],
  row: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const types = new Map(columns.map((column) => [column.name, column.type]));
  return Object.fromEntries(
    Object.entries(row).map(([name, value]) => [name, silverCell(types.get(name), value)]),
  );
}
