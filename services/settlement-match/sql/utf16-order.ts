/**
 * JavaScript compares strings by UTF-16 code units; DuckDB compares VARCHAR by UTF-8 bytes, which is code point
 * order. They disagree only between a supplementary character (U+10000…, a surrogate pair D800–DFFF in UTF-16) and
 * a character U+E000–U+FFFF: JS puts the supplementary one first, DuckDB last. The key remaps code points so that
 * byte order is UTF-16 order: supplementary U+10000–U+10FFFF down to U+E000–U+10DFFF, and U+E000–U+FFFF up to
 * U+10E000–U+10FFFF (both monotone, every other character unchanged). Only a text holding a character ≥ U+E000 is
 * split into characters; any other text is its own key.
 */
const SUPPLEMENTARY = 0x10000;
const PRIVATE_USE = 0xe000;
const REMAPPED = `CASE WHEN unicode(c) >= ${SUPPLEMENTARY} THEN chr(unicode(c) - ${SUPPLEMENTARY - PRIVATE_USE})
  WHEN unicode(c) >= ${PRIVATE_USE} THEN chr(unicode(c) + ${0x10e000 - PRIVATE_USE}) ELSE c END`;

/**
 * A VARCHAR expression whose byte order is the JS (`<`, `Array.prototype.sort`) order of `text`.
 * @example `ORDER BY ${utf16OrderKeySql('transaction_id')}` // '\uFF01' after '😀', as in JS
 */
export function utf16OrderKeySql(text: string): string {
  return `(CASE WHEN regexp_matches(${text}, '[\\x{E000}-\\x{10FFFF}]')
    THEN array_to_string(list_transform(string_split(${text}, ''), lambda c: ${REMAPPED}), '')
    ELSE ${text} END)`;
}
