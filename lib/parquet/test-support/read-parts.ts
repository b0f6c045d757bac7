import { parquetMetadata, parquetReadObjects } from 'hyparquet';

/** Rows of a Parquet part, read back with hyparquet (INT64 as bigint, instants and dates as Date). */
export async function readParquet(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return parquetReadObjects({ file });
}

/** Row count from a Parquet footer, without decoding the data. */
export function parquetRowCount(bytes: Uint8Array): number {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return Number(parquetMetadata(file).num_rows);
}

/** Entries of a JSON Lines part. */
export function readJsonLines(bytes: Uint8Array): Record<string, unknown>[] {
  return new TextDecoder()
    .decode(bytes)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
