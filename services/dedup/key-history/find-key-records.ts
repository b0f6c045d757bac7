import { type SetEngineLimits, sqlText, withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { ownerLineage } from '../cross-file.ts';
import type { DedupObjects, HistoryManifests, HistoryOwner, HistorySegment, KeyRecord } from '../ports.ts';
import { liveRecords, stageSegments } from './history-segments.ts';
import { allBuckets, bucketOfKey, KEY_HISTORY_BUCKET_DIGITS } from './key-buckets.ts';

/** A lookup of a few keys needs little: one thread, a small memory limit. */
const LOOKUP_LIMITS: SetEngineLimits = { memoryLimit: '256MB', threads: 1 };

/**
 * The key records a history's current manifests hold for `keys` (reading only the buckets they fall in), or for
 * every key when `keys` is omitted (for lineage, operators and tests, not for dedup itself), expired ones
 * included until compaction drops them; the latest record of a key wins.
 * @example const records = await findKeyRecords(ports, 'silver-bucket', owner, ['KEY#transactions#acme-bank#tx-1'])
 */
export async function findKeyRecords(
  ports: { readonly objects: DedupObjects; readonly history: HistoryManifests },
  bucket: string,
  owner: HistoryOwner,
  keys?: readonly string[],
  bucketDigits = KEY_HISTORY_BUCKET_DIGITS,
): Promise<Map<string, KeyRecord>> {
  const buckets = keys
    ? [...new Set(keys.map((key) => bucketOfKey(key, bucketDigits)))].sort()
    : allBuckets(bucketDigits);
  const manifests = await ports.history.read(
    buckets.map((historyBucket) => ({ ...owner, bucket: historyBucket })),
  );
  const segments: HistorySegment[] = manifests.flatMap((manifest) => manifest.segments);
  if (segments.length === 0) return new Map();
  return withSetEngine(LOOKUP_LIMITS, async (engine) => {
    const paths = await stageSegments(engine, ports.objects, bucket, segments, new Map());
    const found = await engine.db.runAndReadAll(
      `SELECT * FROM ${liveRecords(paths, Number.MIN_SAFE_INTEGER)} WHERE ${keys ? `key IN (${keys.map(sqlText).join(', ')})` : 'true'}
       QUALIFY row_number() OVER (PARTITION BY key ORDER BY expires_at DESC, file_id) = 1`,
    );
    const records = new Map<string, KeyRecord>();
    for (const row of found.getRowObjects()) {
      records.set(String(row.key), {
        key: String(row.key),
        fingerprint: String(row.fingerprint),
        fingerprintVersion: Number(row.fingerprint_version),
        owner: ownerLineage(row, ''),
        expiresAt: Number(row.expires_at),
      });
    }
    return records;
  });
}
