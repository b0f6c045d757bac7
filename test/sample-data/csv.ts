/**
 * One CSV record (RFC 4180): a field is quoted only when it holds a comma, quote, CR or LF.
 * @example csvLine(['a', 'b,c']) // 'a,"b,c"'
 */
export function csvLine(fields: readonly string[], delimiter = ','): string {
  return fields
    .map((field) =>
      field.includes(delimiter) || field.includes('"') || field.includes('\n') || field.includes('\r')
        ? `"${field.replaceAll('"', '""')}"`
        : field,
    )
    .join(delimiter);
}

/**
 * The control-total trailer: `TRAILER,<row_count>,<sums>`.
 * @example trailerLine(2, 'EUR=3.00') // 'TRAILER,2,EUR=3.00'
 */
export const trailerLine = (rowCount: number, sums: string): string => `TRAILER,${rowCount},${sums}`;

/** Join lines with the partner's line ending, ending the file with one. */
export const joinLines = (lines: readonly string[], lineEnding: string): string =>
  lines.length === 0 ? '' : `${lines.join(lineEnding)}${lineEnding}`;
