import { createHash } from 'node:crypto';

/**
 * Hex digits of sha256(key) that name a key's history bucket: 1 gives 16 buckets per dataset and partner, each
 * with its own manifest and segments, so a run stages and compacts one sixteenth of a history at a time.
 *
 * A stored layout, not a tuning knob: the same key must always land in the same bucket, or the history would
 * forget it. Going to 2 digits (256 buckets) is a migration: split each bucket `x`'s live records into `x0`…`xf`
 * by their next digit and write the new manifests before any dedup runs with the new width. The prefix form is
 * what makes that split local to each bucket.
 */
export const KEY_HISTORY_BUCKET_DIGITS = 1;

/**
 * The bucket of a natural key: the first `digits` hex digits of its sha256 ('' for one bucket).
 * @example bucketOfKey('KEY#transactions#acme-bank#tx-1', 1) // one of '0'…'f'
 */
export function bucketOfKey(key: string, digits: number): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, digits);
}

/** {@link bucketOfKey} in DuckDB SQL over a key expression (its `sha256` is lower-case hex of the UTF-8 bytes). */
export function bucketSql(keyExpression: string, digits: number): string {
  return digits === 0 ? `''` : `substr(sha256(${keyExpression}), 1, ${digits})`;
}

/** Every bucket of a width, in order: '' for 0 digits, '0'…'f' for 1, '00'…'ff' for 2. */
export function allBuckets(digits: number): string[] {
  return Array.from({ length: 16 ** digits }, (_, index) =>
    digits === 0 ? '' : index.toString(16).padStart(digits, '0'),
  );
}

/** How a bucket is named in object keys and manifest keys ('all' for the single bucket of width 0). */
export function bucketLabel(bucket: string): string {
  return bucket === '' ? 'all' : bucket;
}
