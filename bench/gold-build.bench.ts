/**
 * Gold build scaling: ready-publisher's `buildGoldPartition` (stage the day's unique parts, sort them in DuckDB in
 * gold order, stream the rows into the Parquet writer, spool the parts to the scratch folder, read them back for
 * upload) over N curated transactions rows of one business date. The day is written first as dedup's unique
 * Parquet parts (`gold-build/curated-day.ts`, not timed); the build runs in a child process with Node's heap
 * capped (`gold-build/build-day.ts`), so its peak RSS is its own: Node and DuckDB (1 GB memory limit) together,
 * against ready-publisher's 2 GB. With `--units N`, the child builds only the first of N ranges of gold buckets, as
 * one ready-publisher-gold-unit invocation does: what a unit costs when it reads the whole day and keeps ~1/N of it.
 * Run: npm exec -- tsx bench/gold-build.bench.ts [rows] [--units N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCuratedDay } from './gold-build/curated-day.ts';
import { mib, perSecond, rowsArgument } from './measure.ts';

/** Node's heap in the measured process: the build must not need the day in memory. */
const HEAP_MIB = 512;
const rows = rowsArgument(2_000_000);
const unitsAt = process.argv.indexOf('--units');
const units = unitsAt > 0 ? Number(process.argv[unitsAt + 1]) : 1;
if (!Number.isInteger(units) || units < 1)
  throw new Error('--units takes a whole number of units, at least 1');
const root = fileURLToPath(new URL('..', import.meta.url));
const folder = await mkdtemp(join(tmpdir(), 'finledger-gold-bench-'));

try {
  const started = performance.now();
  const day = await writeCuratedDay(folder, rows, 20261120);
  await writeFile(join(folder, 'runs.json'), JSON.stringify(day.runs));
  const parts = day.runs.reduce((total, run) => total + run.unique.parts.length, 0);
  console.log(
    `input: ${day.rows.toLocaleString('en')} curated rows in ${day.runs.length} files, ${parts} unique parts, ` +
      `written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const child = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MIB}`,
      '--import',
      'tsx',
      'bench/gold-build/build-day.ts',
      folder,
      String(units),
    ],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`the gold build failed (exit ${child.status}): ${child.stdout}`);
  const built = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
  const whole = units === 1;
  if (whole && (built.rows !== day.rows || JSON.stringify(built.sums) !== JSON.stringify(day.sums)))
    throw new Error(`gold lost rows or money: ${built.rows} rows, ${JSON.stringify(built.sums)}`);
  // A unit's share of a uniform hash: within a quarter of 1/N is plenty at these sizes.
  if (!whole && Math.abs(built.rows - day.rows / units) > day.rows / units / 4)
    throw new Error(
      `unit 0 of ${units} built ${built.rows} of ${day.rows} rows: the buckets are not its share`,
    );
  console.log(
    `gold build (buildGoldPartition, DuckDB sort): ${whole ? '' : `unit 0 of ${units}, ${built.rows.toLocaleString('en')} of `}${rows.toLocaleString('en')} rows, ${built.totalSeconds.toFixed(1)} s ` +
      `→ ${perSecond(built.rows, built.totalSeconds)} rows/s (build ${built.buildSeconds.toFixed(1)} s, parts read back after); ` +
      `peak RSS ${mib(built.peakRss)} (Node heap capped at ${HEAP_MIB} MiB, DuckDB at 1 GB); scratch folder peak ` +
      `${mib(built.scratchPeak)}\n  ${built.parts} Parquet parts, ${mib(built.goldBytes)} ` +
      `(${(built.goldBytes / Math.max(built.rows, 1)).toFixed(0)} B/row); sums ${Object.keys(built.sums).join(' ')} ` +
      `${whole ? "equal the input's" : 'of its buckets'}; content ${String(built.contentHash).slice(0, 12)}`,
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
