/**
 * `npm run bench -- micro [name] [rows…]`: throughput and memory of the hot path, each bench and size in a fresh
 * process so peak RSS is its own; `name` (e.g. `gold-build`) runs only the benches whose file holds it.
 * - csv-parse: schema-validate must stream, so its heap is capped at 256 MiB and peak RSS at 1M rows should
 *   match 200k rows (flat), not grow with the file.
 * - gold-build: ready-publisher sorts in DuckDB and streams, so its measured child runs with a 512 MiB heap and its
 *   memory should stay flat as rows grow; its time says how far one function goes.
 * - settlement-match: matches a generated window (rows = transactions + settlements) in DuckDB and streams the results,
 *   generated in one child and matched in another; its memory should stay flat past DuckDB's 1 GB limit (spilled to
 *   /tmp), its time says how far one function goes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const benches = [
  {
    file: 'bench/csv-parse.bench.ts',
    flags: ['--max-old-space-size=256'],
    note: 'heap capped at 256 MiB: a whole-file buffer would not fit',
  },
  {
    file: 'bench/gold-build.bench.ts',
    flags: [],
    note: 'sorted in DuckDB and streamed: the measured child has a 512 MiB heap',
  },
  {
    file: 'bench/settlement-match.bench.ts',
    flags: [],
    note: 'matched in DuckDB and streamed: memory bounded by its 1 GB limit',
  },
] as const;

/** Run every micro-bench (or those named) at each row count (default 200k and 1M); returns false when one failed. */
export function runMicroBenches(args: readonly string[]): boolean {
  const named = args[0] !== undefined && !/^[0-9]+$/.test(args[0]) ? args[0] : null;
  const sizes = named === null ? args : args.slice(1);
  let ok = true;
  for (const bench of benches.filter((entry) => named === null || entry.file.includes(named))) {
    for (const rows of sizes.length > 0 ? sizes : ['200000', '1000000']) {
      console.log(`\n== ${bench.file}, ${Number(rows).toLocaleString('en')} rows (${bench.note}) ==`);
      const result = spawnSync(process.execPath, [...bench.flags, '--import', 'tsx', bench.file, rows], {
        cwd: root,
        stdio: 'inherit',
      });
      if (result.status !== 0) {
        console.error(`${bench.file} failed for ${rows} rows (exit ${result.status})`);
        ok = false;
      }
    }
  }
  return ok;
}
