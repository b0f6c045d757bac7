import type { DatasetContract, SilverColumn } from '../../../contracts/datasets/dataset-contract.ts';
import { sqlName, sqlText } from '../../../lib/duckdb/set-engine.ts';
import { dedupKeyOf, type RecordIdentity, recordIdentityOf } from '../record-identity.ts';

/** SQL expressions over a relation that has the contract's silver columns by name. */
export interface IdentitySql {
  /** VARCHAR: same string as naturalIdOf(identity, values). */
  readonly naturalId: string;
  /** VARCHAR: same string as dedupKeyOf(contract.name, partner, naturalIdOf(...)). */
  readonly key: string;
  /** VARCHAR: same lowercase hex as fingerprintOf(identity, values). */
  readonly fingerprint: string;
}

/** Escapes DuckDB's `to_json` spells in upper case (`\u001F`) where `JSON.stringify` spells them in lower case. */
const UPPER_CASE_ESCAPES = ['000B', '000E', '000F', '001A', '001B', '001C', '001D', '001E', '001F'];

/**
 * `nfc()` in SQL. `nfc_normalize` returns a C string, cut at the first NUL, so text holding one is normalised
 * piece by piece between NULs (a NUL is a starter that composes with nothing, so the result is the same).
 */
const nfcSql = (text: string): string =>
  `CASE WHEN contains(${text}, chr(0)) THEN array_to_string(list_transform(string_split(${text}, chr(0)), lambda piece: nfc_normalize(piece)), chr(0)) ELSE nfc_normalize(${text}) END`;

/**
 * `JSON.stringify` of a text. An escaped backslash is parked on a raw U+0001 (which `to_json` never leaves raw)
 * so only real escapes are lower-cased, not a `\u001F` the text itself spells out. Only JSON holding a `\u00`
 * escape takes the ten `replace` calls: they would otherwise cost four times the rest of the column.
 */
const jsonTextSql = (text: string): string => {
  const json = `to_json(${text})::VARCHAR`;
  const lowered = UPPER_CASE_ESCAPES.reduce(
    (escaped, hex) => `replace(${escaped}, '\\u${hex}', '\\u${hex.toLowerCase()}')`,
    `replace(${json}, '\\\\', chr(1))`,
  );
  return `CASE WHEN contains(${json}, '\\u00') THEN replace(${lowered}, chr(1), '\\\\') ELSE ${json} END`;
};

/** A non-text column as `String(value)` spells the JS silver value: bigint micros, epoch days, integers. */
const plainTextSql = (column: SilverColumn): string => {
  const name = sqlName(column.name);
  if (column.type === 'TIMESTAMP_MICROS') return `epoch_us(${name})::VARCHAR`;
  if (column.type === 'DATE') return `(${name} - DATE '1970-01-01')::VARCHAR`;
  return `${name}::VARCHAR`;
};

/** A column's value as `fingerprintOf` writes it in JSON (NULL for null): bigints quoted, numbers bare. */
const valueJsonSql = (column: SilverColumn): string => {
  if (column.type === 'STRING') return jsonTextSql(nfcSql(sqlName(column.name)));
  if (column.type === 'INT64' || column.type === 'TIMESTAMP_MICROS')
    return `'"' || ${plainTextSql(column)} || '"'`;
  return plainTextSql(column);
};

/** `naturalIdOf`: one key field bare, several as a JSON array of texts; null is ''. */
const naturalIdSql = (columns: readonly SilverColumn[], identity: RecordIdentity): string => {
  const parts = identity.keyIndexes.map((index) => {
    const column = columns[index] as SilverColumn;
    const text = column.type === 'STRING' ? sqlName(column.name) : plainTextSql(column);
    return nfcSql(`coalesce(${text}, '')`);
  });
  return parts.length === 1
    ? (parts[0] as string)
    : `('[' || ${parts.map(jsonTextSql).join(` || ',' || `)} || ']')`;
};

/** `fingerprintOf`: sha256 of the `[name, value]` pairs' JSON; names are constants, so JSON-quoted in JS. */
const fingerprintSql = (columns: readonly SilverColumn[], identity: RecordIdentity): string => {
  const pairs = identity.fingerprintColumns.map(({ name, index }) => {
    const value = valueJsonSql(columns[index] as SilverColumn);
    return `${sqlText(`[${JSON.stringify(name)},`)} || coalesce(${value}, 'null') || ']'`;
  });
  return `sha256('[' || ${pairs.join(` || ',' || `)} || ']')`;
};

/**
 * The dedup identity of silver rows as SQL, so DuckDB can group a whole part set by key and content at once and
 * agree with `record-identity.ts`, which claims and compares the same keys row by row.
 * @example const { key, fingerprint } = identitySqlOf(TransactionsV1, 'acme-bank'); `SELECT ${key} AS key ...`
 */
export function identitySqlOf(contract: DatasetContract, partner: string): IdentitySql {
  const identity = recordIdentityOf(contract);
  const naturalId = naturalIdSql(contract.silverColumns, identity);
  return {
    naturalId,
    key: `(${sqlText(dedupKeyOf(contract.name, partner, ''))} || ${naturalId})`,
    fingerprint: fingerprintSql(contract.silverColumns, identity),
  };
}
