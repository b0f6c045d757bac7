import { type DecodedArray, parquetScan } from 'hyparquet';
import type { DatasetContract, SilverValue } from '../../contracts/datasets/dataset-contract.ts';

/** The rows of one silver part, column by column, with values exactly as schema-validate wrote them. */
export interface SilverRows {
  readonly length: number;
  /** Dataset columns of row `index`, in `contract.silverColumns` order. */
  values(index: number): SilverValue[];
  rowNumber(index: number): number;
  fileId(index: number): string;
}

/**
 * Keep INT64 instants as bigint microseconds and dates as epoch days, as `toSilver` produced them: hyparquet's
 * default `Date` would drop the microseconds and change the fingerprint and the rewritten unique parts.
 */
const EXACT_PARSERS = {
  timestampFromMicroseconds: (micros: bigint) => micros,
  dateFromDays: (days: number) => days,
};

const LINEAGE_READ = ['_row_number', '_file_id'] as const;

/**
 * Decode one silver Parquet part (bounded by schema-validate's `partRows`) into column arrays.
 * @example const rows = await readSilverPart(bytes, TransactionsV1); rows.values(0)
 */
export async function readSilverPart(bytes: Uint8Array, contract: DatasetContract): Promise<SilverRows> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const names = [...contract.silverColumns.map((column) => column.name), ...LINEAGE_READ];
  const scan = await parquetScan({ file, columns: names, parsers: EXACT_PARSERS });
  const columns: ArrayLike<unknown>[] = [];
  for (const column of names) {
    const pieces: DecodedArray[] = [];
    for (const range of scan.ranges) pieces.push(await scan.readColumn({ column, ...range }));
    columns.push(
      pieces.length === 1 ? (pieces[0] as DecodedArray) : pieces.flatMap((piece) => Array.from(piece)),
    );
  }
  const datasetColumns = columns.slice(0, contract.silverColumns.length);
  const rowNumbers = columns[names.length - 2] as ArrayLike<bigint | number>;
  const fileIds = columns[names.length - 1] as ArrayLike<string>;
  return {
    length: rowNumbers.length,
    values: (index) => datasetColumns.map((column) => (column[index] ?? null) as SilverValue),
    rowNumber: (index) => Number(rowNumbers[index]),
    fileId: (index) => fileIds[index] as string,
  };
}
