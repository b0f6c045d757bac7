import type { DatasetName } from '../../../config/partners.ts';
import { sqlText } from '../../../lib/duckdb/set-engine.ts';
import { SETTLEMENT_COLUMNS, TRANSACTION_COLUMNS } from '../../../test/sample-data/rows.ts';
import type { GeneratedFile } from '../generate/day-truth.ts';

/** The CSV columns of a dataset, in contract order. */
export const columnsOf = (dataset: DatasetName): readonly string[] =>
  dataset === 'transactions' ? TRANSACTION_COLUMNS : SETTLEMENT_COLUMNS;

/**
 * DuckDB's CSV reader for the partner encodings: `latin-1` stands in for windows-1252 (they differ only in 0x80-0x9F,
 * which the generated files never hold).
 */
const duckEncoding = (encoding: string): string => (encoding === 'utf-8' ? 'utf-8' : 'latin-1');

/**
 * Every row of a dataset's files as text, one `read_csv` per file (each file has its own encoding) with its partner,
 * its order among the partner's files and its row number. No sniffing: the layout is the contract's, and the trailer
 * (`TRAILER,<count>,<sums>`, three fields) is read as a short row padded with NULLs.
 */
export function rawRowsSql(dataset: DatasetName, files: readonly GeneratedFile[]): string {
  const columns = columnsOf(dataset);
  const types = `{${columns.map((column) => `${sqlText(column)}: 'VARCHAR'`).join(', ')}}`;
  const selected = files
    .filter((file) => file.dataset === dataset)
    .sort((a, b) => a.landingKey.localeCompare(b.landingKey));
  if (selected.length === 0) throw new Error(`no ${dataset} file in the manifest`);
  return selected
    .map((file) => {
      const order = selected.filter((other) => other.partner === file.partner).indexOf(file);
      return (
        `SELECT ${sqlText(file.partner)} AS partner, ${sqlText(file.landingKey)} AS file, ${order} AS file_order, ` +
        `row_number() OVER () AS row_number, * FROM read_csv(${sqlText(file.path)}, header = true, auto_detect = false, ` +
        `delim = ',', quote = '"', escape = '"', null_padding = true, encoding = ${sqlText(duckEncoding(file.encoding))}, ` +
        `columns = ${types})`
      );
    })
    .join('\nUNION ALL\n');
}
