/** The kinds of quarantine reasons, as an operator filters and counts them in a spreadsheet. */
export type QuarantineReasonCode =
  | 'RAGGED_ROW'
  | 'MISPLACED_TRAILER'
  | 'CARD_NUMBER'
  | 'DOUBLE_ENCODED_UTF8'
  | 'HIDDEN_CHARACTER'
  | 'INSTANT_OUT_OF_WINDOW'
  | 'INVALID_VALUE'
  | 'INVALID_RECORD';

/**
 * The reasons services/schema-validate/row-validation.ts writes, by kind. Quarantine entries store the reason text
 * only (no code), so the code is read back from the text; `reason-code.test.ts` runs the real validator for each
 * kind, so a change of wording there fails a test here instead of sliding into INVALID_VALUE unnoticed.
 */
const RULES: readonly (readonly [QuarantineReasonCode, RegExp])[] = [
  ['RAGGED_ROW', /^record has \d+ fields, expected \d+ \(ragged row\)$/],
  ['MISPLACED_TRAILER', /^record is a TRAILER record that is not the last record of the file$/],
  ['CARD_NUMBER', /^card number in field \S+$/],
  ['DOUBLE_ENCODED_UTF8', /^\S+ looks like double-encoded UTF-8 \(/],
  ['HIDDEN_CHARACTER', /^\S+ contains .+ \(U\+[0-9A-F]{4,6}\)$/],
  [
    'INSTANT_OUT_OF_WINDOW',
    /^\S+ (is before .+, the earliest instant|is more than .+ after the file's business date)/,
  ],
];

/**
 * The kind of a quarantine reason; anything not listed is INVALID_VALUE (a field failed its contract rule) or
 * INVALID_RECORD (the record as a whole).
 * @example quarantineReasonCode('merchant_id', 'merchant_id contains a tab (U+0009)') // 'HIDDEN_CHARACTER'
 */
export function quarantineReasonCode(field: string | null, reason: string): QuarantineReasonCode {
  for (const [code, pattern] of RULES) if (pattern.test(reason)) return code;
  return field === null ? 'INVALID_RECORD' : 'INVALID_VALUE';
}
