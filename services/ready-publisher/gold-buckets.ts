import { createHash } from 'node:crypto';
import type { DatasetContract, SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import { sqlText } from '../../lib/duckdb/set-engine.ts';
import { goldValueSql } from './gold-order-sql.ts';

/**
 * Gold buckets per partition: a row's bucket is the first byte of the MD5 of its natural key, so a key always
 * falls in one bucket and a unit building a range of buckets needs no other unit's rows. Part of the content
 * hash's form (gold-content.ts): changing it changes every hash.
 */
export const GOLD_BUCKETS = 256;

/** Buckets `from` (inclusive) to `to` (exclusive). */
export interface BucketRange {
  readonly from: number;
  readonly to: number;
}

export const ALL_BUCKETS: BucketRange = { from: 0, to: GOLD_BUCKETS };

/** Separates key fields in the hashed text (U+001F, the unit separator: no partner or id holds it by contract). */
const SEPARATOR = '\u001f';

const keyText = (value: SilverValue | undefined): string =>
  value === null || value === undefined ? '' : String(value);

/**
 * The gold bucket of a row as JavaScript holds it (strings as read, numbers and bigints in decimal).
 * @example goldBucketOf({ partner: 'acme-bank', transaction_id: 'tx-1', … }, TransactionsV1) // 0…255
 */
export function goldBucketOf(row: Readonly<Record<string, SilverValue>>, contract: DatasetContract): number {
  const text = contract.naturalKey.map((field) => keyText(row[field])).join(SEPARATOR);
  return createHash('md5').update(text).digest()[0] as number;
}

/**
 * The same bucket in DuckDB SQL, given each natural-key field's SQL: a silver column of `from`, or a literal for
 * the lineage a run record gives (`lineage`, e.g. the partner). Needs `defineGoldOrderMacros`.
 * @example goldBucketSql(TransactionsV1, 'p', { partner: 'acme-bank' })
 */
export function goldBucketSql(
  contract: DatasetContract,
  from: string,
  lineage: Readonly<Record<string, string | number>>,
): string {
  const texts = contract.naturalKey.map((field) => {
    if (field in lineage) return sqlText(String(lineage[field]));
    const column = contract.silverColumns.find((silver) => silver.name === field);
    if (!column) return "''";
    const value = goldValueSql(column, from);
    return column.type === 'STRING'
      ? `coalesce(gold_js_text(${value}), '')`
      : `coalesce(CAST(${value} AS VARCHAR), '')`;
  });
  return `('0x' || left(md5(${texts.join(` || chr(31) || `)}), 2))::INTEGER`;
}

/**
 * `units` contiguous ranges covering every bucket, as even as whole buckets allow (at most one per bucket).
 * @example bucketRanges(3) // [{ from: 0, to: 86 }, { from: 86, to: 171 }, { from: 171, to: 256 }]
 */
export function bucketRanges(units: number): BucketRange[] {
  const count = Math.min(Math.max(1, Math.floor(units)), GOLD_BUCKETS);
  return Array.from({ length: count }, (_, index) => ({
    from: Math.round((index * GOLD_BUCKETS) / count),
    to: Math.round(((index + 1) * GOLD_BUCKETS) / count),
  }));
}
