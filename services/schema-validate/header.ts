import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import { FileRejectionError } from './errors.ts';

/** A header value as echoed to operators: card numbers masked, long values cut (a data row may sit in line 1). */
const echo = (value: string): string => {
  const masked = maskCardNumbers(value);
  return masked.length > 40 ? `${masked.slice(0, 40)}…` : masked;
};

const OTHER_DELIMITERS: readonly [string, string][] = [
  [';', 'semicolon'],
  ['\t', 'tab'],
  ['|', 'pipe'],
];

/**
 * Check the header record against the contract's columns: exactly those names, in that order (the BOM is
 * already gone). Duplicate names → DUPLICATE_HEADER naming the column; anything else → HEADER_MISMATCH.
 * @example checkHeader(record.fields, TransactionsV1.columns)
 */
export function checkHeader(fields: readonly string[], columns: readonly string[]): void {
  const seen = new Set<string>();
  for (const [index, name] of fields.entries()) {
    if (seen.has(name)) {
      throw new FileRejectionError(
        'DUPLICATE_HEADER',
        `The header names column "${echo(name)}" twice (again at position ${index + 1}). Ask the partner to resend the file with each column once.`,
        { line: 1, field: echo(name) },
      );
    }
    seen.add(name);
  }
  const expected = columns.join(',');
  if (fields.length === 1 && columns.length > 1) {
    const delimiter = OTHER_DELIMITERS.find(([char]) => (fields[0] ?? '').includes(char));
    const hint = delimiter ? ` (it contains ${delimiter[1]}s)` : '';
    throw new FileRejectionError(
      'HEADER_MISMATCH',
      `Expected comma-separated header "${expected}", got one column${hint} — wrong delimiter? Ask the partner to resend the file comma-separated.`,
      { line: 1 },
    );
  }
  const position = columns.findIndex((column, index) => fields[index] !== column);
  if (position === -1 && fields.length === columns.length) return;
  const at = position === -1 ? columns.length : position;
  const got = fields[at];
  const detail =
    got === undefined
      ? `column ${at + 1} "${columns[at]}" is missing`
      : at >= columns.length
        ? `unexpected extra column ${at + 1} "${echo(got)}"`
        : `column ${at + 1} is "${echo(got)}", expected "${columns[at]}"`;
  throw new FileRejectionError(
    'HEADER_MISMATCH',
    `Expected header "${expected}": ${detail}. Ask the partner for a file in the agreed layout.`,
    { line: 1, field: columns[at] ?? echo(got ?? '') },
  );
}
