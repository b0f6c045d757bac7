import type { SilverColumn } from '../../contracts/datasets/dataset-contract.ts';
import type { SetEngine } from '../../lib/duckdb/set-engine.ts';
import { sqlName } from '../../lib/duckdb/set-engine.ts';

/**
 * SQL macros that make DuckDB see and order text as gold's JavaScript does (`goldOrder`, gold-rows.ts):
 *
 * - `gold_js_text(s)`: the value as JavaScript reads it. hyparquet and the DuckDB client both decode with a default
 *   `TextDecoder`, which drops one leading U+FEFF; DuckDB itself keeps it.
 * - `gold_utf16_key(s)`: a string whose UTF-8 byte order (DuckDB's VARCHAR order) is the UTF-16 code-unit order of
 *   `s` (JavaScript's `<`). The two differ only between U+E000–U+FFFF and supplementary characters (surrogates
 *   sort below U+E000 in UTF-16, above U+FFFF as code points), so a string without a character ≥ U+E000 is its own
 *   key. Otherwise each UTF-16 code unit u becomes one character, strictly increasing in u: below U+D800 itself,
 *   surrogates U+D800–U+DFFF → U+E000–U+E7FF, U+E000–U+FFFF → U+1E000–U+1FFFF.
 */
const MACROS = [
  `CREATE OR REPLACE TEMP MACRO gold_js_text(s) AS
     CASE WHEN starts_with(s, chr(65279)) THEN substr(s, 2) ELSE s END`,
  `CREATE OR REPLACE TEMP MACRO gold_utf16_key(s) AS
     CASE WHEN regexp_matches(s, '[\\x{E000}-\\x{10FFFF}]') THEN array_to_string(
       list_transform(regexp_extract_all(s, '(?s).'), lambda c:
         CASE WHEN unicode(c) < 57344 THEN c
              WHEN unicode(c) < 65536 THEN chr(unicode(c) + 65536)
              ELSE chr(57344 + ((unicode(c) - 65536) >> 10)) || chr(58368 + ((unicode(c) - 65536) & 1023)) END),
       '') ELSE s END`,
];

/**
 * Define the gold text macros in a set-engine session.
 * @example await defineGoldOrderMacros(engine); await engine.db.run(`... ORDER BY ${goldOrderSql(column, 'p')}`)
 */
export async function defineGoldOrderMacros(engine: SetEngine): Promise<void> {
  for (const macro of MACROS) await engine.db.run(macro);
}

/**
 * A silver column as gold's writer expects its JavaScript value (as `readSilverPart` gives it): instants as bigint
 * microseconds, dates as number days since epoch; text as stored (the client's decoding drops one leading U+FEFF,
 * as hyparquet's does); other types as they are, so a column of another type than the contract's still fails the
 * writer's type check.
 * @example goldValueSql({ name: 'occurred_at', type: 'TIMESTAMP_MICROS', … }, 'p') // 'epoch_us(p."occurred_at")'
 */
export function goldValueSql(column: SilverColumn, from: string): string {
  const name = `${from}.${sqlName(column.name)}`;
  switch (column.type) {
    case 'TIMESTAMP_MICROS':
      return `epoch_us(${name})`;
    case 'DATE':
      return `(${name} - DATE '1970-01-01')::INTEGER`;
    case 'STRING':
    case 'INT32':
    case 'INT64':
      return name;
  }
}

/**
 * One ORDER BY term sorting a silver column exactly as `goldOrder` compares its JavaScript values: text by UTF-16
 * code units of the value as JavaScript reads it, numbers and instants by value, null first.
 * @example goldOrderSql({ name: 'transaction_id', type: 'STRING', … }, 'p') // 'gold_utf16_key(gold_js_text(p."transaction_id")) NULLS FIRST'
 */
export function goldOrderSql(column: SilverColumn, from: string): string {
  const value = goldValueSql(column, from);
  return `${column.type === 'STRING' ? `gold_utf16_key(gold_js_text(${value}))` : value} NULLS FIRST`;
}
