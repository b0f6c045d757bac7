/**
 * Bench child: the bare DuckDB job over a generated day's files, in its own process so its peak RSS (DuckDB allocates
 * outside the V8 heap) is its own. Run: tsx bench/day/bare/bare.main.ts <manifest.json> [threads]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markMeasuring, runAsChild } from '../child-run.ts';
import type { DayManifest } from '../generate/day-truth.ts';
import { runBareJob } from './bare-job.ts';

const [manifestPath, threads = '2'] = process.argv.slice(2);
if (!manifestPath) throw new Error('usage: bare.main.ts <manifest.json> [threads]');
const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as DayManifest;
const folder = await mkdtemp(join(tmpdir(), 'finledger-bench-bare-'));
await runAsChild(async () => {
  try {
    return await runBareJob(manifest, folder, Number(threads), markMeasuring);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
