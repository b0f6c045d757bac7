/**
 * First characters that make a spreadsheet read a cell as a formula: OWASP's "CSV Injection" list (`=`, `+`,
 * `-`, `@`, TAB, CR, and LF since 2025) plus NUL, which ASVS 5.0 (V1.2.10) adds.
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '\0']);

/** What a column holds: only a `number` column may write a leading minus unescaped. */
export type CellKind = 'text' | 'number';

/** A plain decimal number, such as a money string: digits, an optional leading "-" and "." with digits. */
const PLAIN_NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;

/** A cell RFC 4180 requires in quotes. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A text cell that cannot start a formula: prefixed with a single quote when its first character is a formula
 * trigger (the quote tells the spreadsheet "this is text" and hides itself). The value as received is kept
 * elsewhere; apply this only where a person may open the file in a spreadsheet.
 * @example neutraliseFormula('=HYPERLINK("http://x")') // '\'=HYPERLINK("http://x")'
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

/**
 * One CSV cell for an export a person may open in a spreadsheet: formula-neutralised, then quoted per RFC 4180
 * (in double quotes, quotes doubled) when it holds a comma, a quote or a line break.
 *
 * The rule for numbers: a cell of a `number` column (an amount such as `-12.50`) is written as is only when it
 * is a plain decimal number; anything else in it (`-1+2`, `=1`) is neutralised like text. Text columns are
 * always neutralised, even when their value looks numeric: a reference `-12` stays text.
 * @example spreadsheetCsvCell('-12.50', 'number') // '-12.50'
 * @example spreadsheetCsvCell('-12.50') // "'-12.50"
 * @example spreadsheetCsvCell('@SUM(A1:A2), total') // '"\'@SUM(A1:A2), total"'
 * @see https://www.rfc-editor.org/rfc/rfc4180#section-2
 */
export function spreadsheetCsvCell(value: string, kind: CellKind = 'text'): string {
  const safe = kind === 'number' && PLAIN_NUMBER.test(value) ? value : neutraliseFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
