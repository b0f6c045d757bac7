import { setTimeout as sleep } from 'node:timers/promises';
import { mapInFlight } from '../../lib/async/map-in-flight.ts';
import type { SetEngine } from '../../lib/duckdb/set-engine.ts';
import {
  candidateBuckets,
  claimsPerBucket,
  classifyAcrossFiles,
  keepBucketVerdicts,
  startVerdicts,
} from './cross-file.ts';
import type { Run } from './dedup-run.ts';
import { KeyHistoryContentionError } from './errors.ts';
import { liveRecords, stageSegments, unstageSegments } from './key-history/history-segments.ts';
import { publishClaims, type WrittenClaims, writeClaims } from './key-history/publish-claims.ts';
import type { HistoryManifest, HistoryScope } from './ports.ts';

/** Buckets whose staged segments are fetched at once. */
const STAGING_IN_FLIGHT = 8;

/**
 * Classify the file's candidates against the key history and publish their claims, bucket by bucket
 * (dedup.ts steps 4 and 5). The buckets the candidates fall in are cut into passes whose segments together hold
 * at most `historyRowsPerPass` rows (a bucket above it is a pass alone), so a run stages a bounded slice of the
 * history at a time; a small history is one pass. Each bucket is published by its own conditional manifest swap
 * (all of a pass in one call): the buckets another run moved first are read again and classified against their
 * longer history, the others are final.
 */
export async function classifyAgainstHistory(run: Run, engine: SetEngine): Promise<void> {
  await startVerdicts(engine);
  let pending = await candidateBuckets(engine);
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > run.config.maxHistoryAttempts)
      throw new KeyHistoryContentionError(
        run.contract.name,
        run.input.partner,
        pending[0] ?? '',
        attempt - 1,
      );
    if (attempt > 1)
      // Every refusal means another run published, so this always ends; the jitter spreads a burst of one partner's files.
      await sleep(Math.random() * Math.min(1_000, 25 * attempt));
    const manifests = await readManifests(run, pending);
    const refused: string[] = [];
    for (const pass of passesOf(pending, manifests, run.config.historyRowsPerPass))
      refused.push(...(await classifyPass(run, engine, pass, manifests)));
    pending = refused;
  }
}

/** One pass: stage the buckets' segments, classify their candidates, publish each bucket; the refused buckets. */
async function classifyPass(
  run: Run,
  engine: SetEngine,
  buckets: readonly string[],
  manifests: ReadonlyMap<string, HistoryManifest>,
): Promise<string[]> {
  const staged = new Map<string, string>();
  try {
    const { results: staging } = await mapInFlight(buckets, STAGING_IN_FLIGHT, async (bucket) => {
      const segments = manifestOf(manifests, bucket).segments;
      const paths = await stageSegments(
        engine,
        run.ports.objects,
        run.config.buckets.silver,
        segments,
        staged,
      );
      return [bucket, paths] as const;
    });
    const pathsOf = new Map(staging);
    const history = liveRecords([...pathsOf.values()].flat(), run.claim.nowSeconds);
    await classifyAcrossFiles(engine, history, run.claim, buckets);
    const claims = await claimsPerBucket(engine);
    // Segments are written one at a time (one DuckDB session), then uploaded in parallel and swapped in one call.
    const written: WrittenClaims[] = [];
    for (const bucket of buckets.filter((candidate) => claims.get(candidate))) {
      const attempt = {
        scope: scopeOf(run, bucket),
        manifest: manifestOf(manifests, bucket),
        segmentPaths: pathsOf.get(bucket) ?? [],
        context: run.claim,
      };
      written.push(await writeClaims(engine, run.config, attempt));
    }
    const taken = await publishClaims(run.ports, written);
    const refused = written.filter((_, index) => !taken[index]).map((claims) => claims.attempt.scope.bucket);
    await keepBucketVerdicts(
      engine,
      buckets.filter((bucket) => !refused.includes(bucket)),
    );
    return refused;
  } finally {
    await unstageSegments(staged);
  }
}

/**
 * Consecutive buckets grouped while their segments' rows stay within `rowsPerPass`.
 * @example passesOf(['0', '1', '2'], manifests, 100) // [['0', '1'], ['2']] when they hold 60, 30 and 50 rows
 */
export function passesOf(
  buckets: readonly string[],
  manifests: ReadonlyMap<string, HistoryManifest>,
  rowsPerPass: number,
): string[][] {
  const passes: string[][] = [];
  let current: string[] = [];
  let rows = 0;
  for (const bucket of buckets) {
    const bucketRows = manifestOf(manifests, bucket).segments.reduce((sum, segment) => sum + segment.rows, 0);
    if (current.length > 0 && rows + bucketRows > rowsPerPass) {
      passes.push(current);
      current = [];
      rows = 0;
    }
    current.push(bucket);
    rows += bucketRows;
  }
  if (current.length > 0) passes.push(current);
  return passes;
}

async function readManifests(run: Run, buckets: readonly string[]): Promise<Map<string, HistoryManifest>> {
  const manifests = await run.ports.history.read(buckets.map((bucket) => scopeOf(run, bucket)));
  return new Map(buckets.map((bucket, index) => [bucket, manifests[index] as HistoryManifest]));
}

const scopeOf = (run: Run, bucket: string): HistoryScope => ({
  dataset: run.contract.name,
  partner: run.input.partner,
  bucket,
});

function manifestOf(manifests: ReadonlyMap<string, HistoryManifest>, bucket: string): HistoryManifest {
  const manifest = manifests.get(bucket);
  if (!manifest) throw new Error(`No manifest was read for history bucket ${bucket}`);
  return manifest;
}
