import { randomUUID } from 'node:crypto';
import type { SetEngine } from '../../../lib/duckdb/set-engine.ts';
import { digestId } from '../../../lib/ids/digest-id.ts';
import { type ClaimContext, claimedRecords } from '../cross-file.ts';
import type { DedupConfig, DedupPorts, HistoryManifest, HistoryScope } from '../ports.ts';
import { liveRecords, writeSegment } from './history-segments.ts';
import { segmentKey } from './segment-keys.ts';

/** Where a run stands against the history it classified with. */
export interface ClaimAttempt {
  readonly scope: HistoryScope;
  readonly manifest: HistoryManifest;
  /** Local paths of the manifest's segments, in its order. */
  readonly segmentPaths: readonly string[];
  readonly context: ClaimContext;
}

/**
 * Publish this run's claimed keys as the history's next version: write them as a new immutable segment, then
 * swap the manifest from the version they were classified against. Returns false when another run published
 * first; the caller classifies the new keys against the longer history and tries again. A refused segment stays
 * behind unreferenced (dedup may not delete in the silver bucket); readers only ever open what a manifest lists.
 *
 * When the history has reached `compactAtSegments`, the new segment also carries every live record of the old
 * ones (expired keys dropped) and replaces them, so a history stays a bounded number of files.
 */
export async function publishClaims(
  engine: SetEngine,
  ports: DedupPorts,
  config: DedupConfig,
  attempt: ClaimAttempt,
): Promise<boolean> {
  const { manifest, scope, context } = attempt;
  const compact = manifest.segments.length + 1 >= config.compactAtSegments;
  const select = compact
    ? `${claimedRecords(context)} UNION ALL SELECT * FROM ${liveRecords(attempt.segmentPaths, context.nowSeconds)}`
    : claimedRecords(context);
  const version = manifest.version + 1;
  const ref = {
    bucket: config.buckets.silver,
    // Random per attempt: two runs (or a retry) writing one version never share a key.
    key: segmentKey(scope, version, digestId('seg', `${context.fileId}:${context.runId}:${randomUUID()}`)),
  };
  const segment = await writeSegment(engine, `segment-v${version}.parquet`, select);
  await ports.objects.putObject(ref, segment.bytes);
  const next = { key: ref.key, rows: segment.rows };
  return ports.history.swap(scope, manifest.version, compact ? [next] : [...manifest.segments, next]);
}
