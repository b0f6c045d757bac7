/**
 * SQL boolean expressions for the field rules of the dataset contracts (contracts/datasets), as far as a day's SQL can
 * say them: identifiers, optional text, decimal amounts in a known currency's minor units, ISO 8601 instants with an
 * offset inside the contract's window, Luhn-valid card numbers, no hidden characters. Each takes a column name.
 */

const quoted = (column: string) => `"${column}"`;

/** 1-128 characters, no leading or trailing whitespace (contracts/datasets/fields.ts `IdentifierSchema`). */
export const isIdentifier = (column: string): string =>
  `(${quoted(column)} IS NOT NULL AND length(${quoted(column)}) <= 128 AND regexp_full_match(${quoted(column)}, '\\S(.*\\S)?'))`;

/** Empty (NULL once read) or an identifier (`OptionalTextSchema`). */
export const isOptionalText = (column: string): string =>
  `(${quoted(column)} IS NULL OR (length(${quoted(column)}) <= 128 AND regexp_full_match(${quoted(column)}, '\\S(.*\\S)?')))`;

/** A plain decimal: optional '-', no leading zeros, optional fraction (`MONEY_TEXT_PATTERN`). */
export const isMoneyText = (column: string): string =>
  `(${quoted(column)} IS NOT NULL AND regexp_full_match(${quoted(column)}, '-?(0|[1-9][0-9]*)(\\.[0-9]+)?'))`;

/** Digits after the decimal point. */
export const decimalsOf = (column: string): string =>
  `length(coalesce(regexp_extract(${quoted(column)}, '\\.([0-9]+)$', 1), ''))`;

/**
 * Integer minor units of a valid amount with `exponent` decimals: the digits with the fraction padded to the exponent
 * (never through a float); NULL when the text is not a valid amount of that currency.
 */
export const minorUnits = (column: string, exponent: string): string =>
  `CASE WHEN ${isMoneyText(column)} AND ${exponent} IS NOT NULL AND ${decimalsOf(column)} <= ${exponent} THEN ` +
  `TRY_CAST(regexp_extract(${quoted(column)}, '^-?([0-9]+)', 1) || rpad(coalesce(regexp_extract(${quoted(column)}, '\\.([0-9]+)$', 1), ''), ${exponent}, '0') AS BIGINT)` +
  ` * CASE WHEN starts_with(${quoted(column)}, '-') THEN -1 ELSE 1 END END`;

/**
 * `YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|±HH:MM)` on a real date and clock time, offset within ±14:00, from 2000-01-01 to
 * ten years after the business date (`DEFAULT_INSTANT_WINDOW`).
 */
export const isInstant = (column: string, businessDate: string): string => {
  const value = quoted(column);
  return (
    `(${value} IS NOT NULL AND regexp_full_match(${value}, '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})')` +
    ` AND TRY_CAST(substr(${value}, 1, 19) AS TIMESTAMP) IS NOT NULL` +
    ` AND (right(${value}, 1) = 'Z' OR (TRY_CAST(right(${value}, 2) AS INTEGER) <= 59 AND TRY_CAST(substr(right(${value}, 6), 2, 2) AS INTEGER) * 60 + TRY_CAST(right(${value}, 2) AS INTEGER) <= 840))` +
    ` AND TRY_CAST(${value} AS TIMESTAMPTZ) >= TIMESTAMPTZ '2000-01-01 00:00:00+00'` +
    ` AND TRY_CAST(${value} AS TIMESTAMPTZ) < CAST(DATE '${businessDate}' + INTERVAL 10 YEAR + INTERVAL 1 DAY AS TIMESTAMPTZ))`
  );
};

/** UTC microseconds of a valid instant (what the silver `*_utc` column holds and the fingerprint uses). */
export const instantMicros = (column: string): string =>
  `epoch_us(TRY_CAST(${quoted(column)} AS TIMESTAMPTZ))`;

/** Empty, or 13-19 digits that pass the Luhn check (`OptionalPanSchema`). */
export const isOptionalPan = (column: string): string => {
  const value = quoted(column);
  const digit = `TRY_CAST(substr(${value}, length(${value}) - i, 1) AS INTEGER)`;
  return (
    `(${value} IS NULL OR coalesce(regexp_full_match(${value}, '[0-9]{13,19}') AND ` +
    `list_sum(list_transform(range(length(${value})), lambda i: CASE WHEN i % 2 = 1 THEN (CASE WHEN ${digit} * 2 > 9 THEN ${digit} * 2 - 9 ELSE ${digit} * 2 END) ELSE ${digit} END)) % 10 = 0, false))`
  );
};

/** Controls, bidi and invisible characters (contracts/datasets/safe-text.ts `HIDDEN_RANGES`) in any of `columns`. */
export const hasHiddenCharacter = (columns: readonly string[]): string =>
  `regexp_matches(concat_ws('', ${columns.map(quoted).join(', ')}), '[\\x{0}-\\x{1F}\\x{7F}-\\x{9F}\\x{AD}\\x{61C}\\x{180E}\\x{200B}-\\x{200F}\\x{2028}-\\x{202E}\\x{2060}-\\x{2064}\\x{2066}-\\x{2069}\\x{FEFF}\\x{FFF9}-\\x{FFFB}\\x{FFFD}\\x{E0000}-\\x{E007F}]')`;
