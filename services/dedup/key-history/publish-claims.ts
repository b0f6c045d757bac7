import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ObjectRef } from '../../../contracts/events/envelope.ts';
import { mapInFlight } from '../../../lib/async/map-in-flight.ts';
import type { SetEngine } from '../../../lib/duckdb/set-engine.ts';
import { digestId } from '../../../lib/ids/digest-id.ts';
import { type ClaimContext, claimedRecords } from '../cross-file.ts';
import type { DedupConfig, DedupPorts, HistoryManifest, HistoryScope, HistorySegment } from '../ports.ts';
import { liveRecords, writeSegment } from './history-segments.ts';
import { bucketLabel } from './key-buckets.ts';
import { segmentKey } from './segment-keys.ts';

/** Where a run stands against the history it classified with. */
export interface ClaimAttempt {
  readonly scope: HistoryScope;
  readonly manifest: HistoryManifest;
  /** Local paths of the bucket manifest's segments, in its order. */
  readonly segmentPaths: readonly string[];
  readonly context: ClaimContext;
}

/** Segments uploaded at once. */
const UPLOADS_IN_FLIGHT = 8;

/** A bucket's claims written as a local segment, ready to publish. */
export interface WrittenClaims {
  readonly attempt: ClaimAttempt;
  /** Where the segment goes in the silver bucket, and where it is now. */
  readonly ref: ObjectRef;
  readonly path: string;
  /** The manifest's segment list once this one is swapped in. */
  readonly segments: readonly HistorySegment[];
}

/**
 * Write this run's claimed keys of one bucket as the segment of the bucket's next version (DuckDB work: call it
 * one bucket at a time). When the bucket has reached `compactAtSegments`, or holds fewer than `compactBelowRows`
 * records (a small bucket stays one segment, so a run stages one object per bucket), the segment also carries every live
 * record of the old ones (expired keys dropped) and replaces them, so a bucket stays a bounded number of files.
 */
export async function writeClaims(
  engine: SetEngine,
  config: DedupConfig,
  attempt: ClaimAttempt,
): Promise<WrittenClaims> {
  const { manifest, scope, context } = attempt;
  const historyRows = manifest.segments.reduce((sum, segment) => sum + segment.rows, 0);
  const compact =
    manifest.segments.length + 1 >= config.compactAtSegments ||
    (manifest.segments.length > 0 && historyRows < config.compactBelowRows);
  const select = compact
    ? `${claimedRecords(context, scope.bucket)} UNION ALL SELECT * FROM ${liveRecords(attempt.segmentPaths, context.nowSeconds)}`
    : claimedRecords(context, scope.bucket);
  const version = manifest.version + 1;
  const ref = {
    bucket: config.buckets.silver,
    // Random per attempt: two runs (or a retry) writing one version never share a key.
    key: segmentKey(scope, version, digestId('seg', `${context.fileId}:${context.runId}:${randomUUID()}`)),
  };
  const written = await writeSegment(
    engine,
    `segment-${bucketLabel(scope.bucket)}-v${version}.parquet`,
    select,
  );
  const next = { key: ref.key, rows: written.rows };
  return { attempt, ref, path: written.path, segments: compact ? [next] : [...manifest.segments, next] };
}

/**
 * Publish written claims: upload each immutable segment, then swap every bucket's manifest from the version its
 * claims were classified against, in one call. Per written claims, false when another run published that bucket
 * first; the caller classifies that bucket's new keys against its longer history and tries again. A refused
 * segment stays behind unreferenced (dedup may not delete in the silver bucket); readers only ever open what a
 * manifest lists.
 */
export async function publishClaims(
  ports: DedupPorts,
  written: readonly WrittenClaims[],
): Promise<boolean[]> {
  if (written.length === 0) return [];
  await mapInFlight(written, UPLOADS_IN_FLIGHT, async (claims) =>
    ports.objects.putObject(claims.ref, new Uint8Array(await readFile(claims.path))),
  );
  return ports.history.swap(
    written.map(({ attempt, segments }) => ({
      scope: attempt.scope,
      expectedVersion: attempt.manifest.version,
      segments,
    })),
  );
}
