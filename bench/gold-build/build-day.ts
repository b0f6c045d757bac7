/**
 * The measured step, in a process of its own so its peak RSS is its own: ready-publisher's gold build
 * (`buildGoldPartition`: stage the unique parts, sort in DuckDB, stream into the writer, parts spooled to the
 * scratch folder) over a day written by `curated-day.ts`, then every part read back as the upload reads it.
 * Prints one JSON line. With a unit count, builds only the first unit's range of gold buckets, as one
 * ready-publisher-gold-unit invocation does (it still reads every unique part of the day).
 * Run by gold-build.bench.ts: tsx bench/gold-build/build-day.ts <folder> [units]
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SET_ENGINE_LIMITS, withSetEngine } from '../../lib/duckdb/set-engine.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import { type BucketRange, bucketRanges } from '../../services/ready-publisher/gold-buckets.ts';
import { buildGoldPartition } from '../../services/ready-publisher/gold-build.ts';
import { BUSINESS_DATE } from './curated-day.ts';

const folder = process.argv[2];
if (!folder) throw new Error('usage: tsx bench/gold-build/build-day.ts <folder written by curated-day.ts>');
const runs = JSON.parse(await readFile(join(folder, 'runs.json'), 'utf8')) as DedupRunRecord[];
const units = Number(process.argv[3] ?? 1);

/** Bytes under a folder (staged parts, spill, spooled gold parts). */
async function folderBytes(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile())
      total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

const started = performance.now();
let scratchPeak = 0;
const result = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
  // Sampled between chunks (the writer is synchronous), enough to size /tmp.
  const sampler = setInterval(() => {
    void folderBytes(engine.folder).then((bytes) => {
      scratchPeak = Math.max(scratchPeak, bytes);
    });
  }, 1000);
  try {
    const partition = await buildGoldPartition({
      runs,
      target: { dataset: 'transactions', businessDate: BUSINESS_DATE, runId: 'run_bench', schemaV: 1 },
      getObject: async (ref) => readFile(join(folder, ref.key)),
      engine,
      buckets: bucketRanges(units)[0] as BucketRange,
    });
    const built = (performance.now() - started) / 1000;
    let goldBytes = 0;
    for (const part of partition.parts) goldBytes += (await part.read()).byteLength;
    scratchPeak = Math.max(scratchPeak, await folderBytes(engine.folder));
    return { partition, built, goldBytes };
  } finally {
    clearInterval(sampler);
  }
});
const { partition } = result;
console.log(
  JSON.stringify({
    rows: partition.rowCount,
    sums: partition.sums,
    parts: partition.parts.length,
    goldBytes: result.goldBytes,
    contentHash: partition.contentHash,
    buildSeconds: result.built,
    totalSeconds: (performance.now() - started) / 1000,
    peakRss: process.resourceUsage().maxRSS * 1024,
    heapUsed: process.memoryUsage().heapUsed,
    scratchPeak,
  }),
);
