import { type CellKind, spreadsheetCsvCell } from '../../lib/text/spreadsheet-safe.ts';
import type { QuarantineRow } from './quarantine-row.ts';

/** How `finledger quarantine` prints: a readable table, RFC 4180 CSV for a spreadsheet, or JSON. */
export type QuarantineFormat = 'table' | 'csv' | 'json';

/** Text for stdout as rows arrive: each piece carries its own line ends (CSV's are CRLF). */
export interface RowWriter {
  begin(): string;
  row(row: QuarantineRow): string;
  end(): string;
}

/** CSV columns in order, and whether each is a real number (only those may keep a leading minus). */
const CSV_COLUMNS: readonly (readonly [string, CellKind, (row: QuarantineRow) => string])[] = [
  ['file_id', 'text', (row) => row.fileId],
  ['partner', 'text', (row) => row.partner],
  ['dataset', 'text', (row) => row.dataset],
  ['business_date', 'text', (row) => row.businessDate],
  ['file_outcome', 'text', (row) => row.fileOutcome],
  ['row_number', 'number', (row) => String(row.rowNumber)],
  ['field', 'text', (row) => row.field ?? ''],
  ['reason_code', 'text', (row) => row.reasonCode],
  ['reason', 'text', (row) => row.reason],
  ['row_id', 'text', (row) => row.rowId ?? ''],
  ['value', 'text', (row) => row.value ?? ''],
  ['record', 'text', (row) => row.record],
];

const CRLF = '\r\n';

/** The CSV header record, without its line end. */
export const QUARANTINE_CSV_HEADER = CSV_COLUMNS.map(([name]) => spreadsheetCsvCell(name)).join(',');

/**
 * One row as an RFC 4180 record (no line end): every text cell formula-neutralised and quoted as needed
 * (lib/text/spreadsheet-safe.ts), so a partner's `=HYPERLINK(…)` opens as text, never as a formula.
 * @example quarantineCsvRecord(row) // 'f_1,globex-pay,…,7,amount,INVALID_VALUE,…,\'-1+2,…'
 */
export function quarantineCsvRecord(row: QuarantineRow): string {
  return CSV_COLUMNS.map(([, kind, cell]) => spreadsheetCsvCell(cell(row), kind)).join(',');
}

/** Control and format characters (tabs, NUL, bidi overrides, zero-width) shown as `<U+XXXX>` on a terminal. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * Text a terminal shows as it is: no character can hide, reorder or break the line.
 * @example visible('m\u202e1') // 'm<U+202E>1'
 */
export function visible(text: string): string {
  return text.replace(
    INVISIBLE,
    (char) => `<U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

const DETAIL_INDENT = ' '.repeat(16);

/** The table: a heading per file, then each row's line, code and reason, id, failing value and record. */
function tableWriter(): RowWriter {
  let currentFile: string | null = null;
  return {
    begin: () => '',
    row(row) {
      const lines: string[] = [];
      if (row.fileId !== currentFile) {
        currentFile = row.fileId;
        lines.push(
          `${visible(row.partner)} ${row.dataset} ${row.businessDate}  file ${row.fileId}  ${row.fileOutcome}`,
        );
      }
      // Brackets, not quotes: a value may hold quotes, and its leading or trailing spaces must show.
      const bracketed = (text: string | null) => (text === null ? '-' : `[${visible(text)}]`);
      const failing = row.field === null ? '' : `  ${row.field} ${bracketed(row.value)}`;
      lines.push(
        `  line ${String(row.rowNumber).padEnd(8)} ${row.reasonCode.padEnd(21)} ${visible(row.reason)}`,
        `${DETAIL_INDENT}id ${bracketed(row.rowId)}${failing}`,
        `${DETAIL_INDENT}record ${visible(row.record)}`,
      );
      return `${lines.join('\n')}\n`;
    },
    end: () => '',
  };
}

/** A JSON array written one element per line as rows arrive. */
function jsonWriter(): RowWriter {
  let count = 0;
  return {
    begin: () => '[',
    row(row) {
      count += 1;
      return `${count === 1 ? '\n' : ',\n'}  ${JSON.stringify(row)}`;
    },
    end: () => (count === 0 ? ']\n' : '\n]\n'),
  };
}

/** CSV: the header, then one CRLF-ended record per row. */
function csvWriter(): RowWriter {
  return {
    begin: () => `${QUARANTINE_CSV_HEADER}${CRLF}`,
    row: (row) => `${quarantineCsvRecord(row)}${CRLF}`,
    end: () => '',
  };
}

/**
 * The writer of one output format; each call returns the text to print next.
 * @example const writer = rowWriter('csv'); write(writer.begin()); for (const row of rows) write(writer.row(row));
 */
export function rowWriter(format: QuarantineFormat): RowWriter {
  if (format === 'csv') return csvWriter();
  return format === 'json' ? jsonWriter() : tableWriter();
}
