import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { maskCardNumbers } from '../card-numbers.ts';
import type { ContentHit } from './findings.ts';
import { scanText } from './text-scan.ts';

/**
 * Card numbers in a Parquet object, value by value: every string and binary value, every integer (INT32, INT64,
 * DECIMAL as hyparquet decodes it) as its decimal text, in nested lists, structs and maps too (their keys as
 * well), and the footer's column names and key-value metadata. Skipped on purpose: timestamps and dates (their
 * epoch integers are 13-16 digit runs that are Luhn-valid by chance one time in ten, and a logical timestamp is
 * not where a card number is written), booleans and fractional floats (a card number is an integer).
 * hyparquet turns DECIMAL into a JavaScript number: exact up to 2^53 (every 13-15 digit and most 16 digit
 * numbers), approximate beyond.
 * @example await scanParquet(bytes) // [{ where: 'column pan, row 2', excerpt: '************1111' }]
 */
export async function scanParquet(bytes: Uint8Array): Promise<ContentHit[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const hits: ContentHit[] = [];
  const text = (value: string, where: string) => {
    for (const hit of scanText(value))
      hits.push({ where: hit.line > 1 ? `${where}, line ${hit.line}` : where, excerpt: hit.excerpt });
  };
  for (const element of metadata.schema) text(element.name, 'footer: column name');
  for (const entry of metadata.key_value_metadata ?? []) {
    text(entry.key, 'footer: metadata key');
    if (entry.value !== undefined) text(entry.value, `footer: metadata ${entry.key}`);
  }
  if (metadata.created_by) text(metadata.created_by, 'footer: created_by');

  const rows = await parquetReadObjects({ file, metadata });
  rows.forEach((row, index) => {
    for (const [column, value] of Object.entries(row)) walk(value, column, index + 1, text);
  });
  // A position holds column names and map keys, which may be card numbers themselves.
  return hits.map((hit) => ({ ...hit, where: maskCardNumbers(hit.where) }));
}

function walk(value: unknown, path: string, row: number, text: (value: string, where: string) => void): void {
  const where = `column ${path}, row ${row}`;
  if (typeof value === 'string') text(value, where);
  else if (typeof value === 'bigint') text(value.toString(), where);
  else if (typeof value === 'number' && Number.isInteger(value)) text(BigInt(value).toString(), where);
  else if (value instanceof Uint8Array) text(Buffer.from(value).toString('latin1'), where);
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`, row, text);
  } else if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      text(key, `${where}, key`);
      walk(item, `${path}.${key}`, row, text);
    }
  }
  // Left: dates and timestamps, booleans, fractional numbers, null (see scanParquet).
}
