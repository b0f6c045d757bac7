/**
 * `npm run bench`: throughput and memory of the hot path, each in a fresh process so peak RSS is its own.
 * schema-validate must stream: peak RSS at 1M rows should match 200k rows (flat), not grow with the file.
 * Pass a row count to override the sizes: `npm run bench -- 3000000`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const requested = process.argv.slice(2).filter((arg) => /^[0-9]+$/.test(arg));
const sizes = requested.length > 0 ? requested : ['200000', '1000000'];

for (const rows of sizes) {
  console.log(
    `\n== ${Number(rows).toLocaleString('en')} rows (heap capped at 256 MiB: a whole-file buffer would not fit) ==`,
  );
  const result = spawnSync(
    process.execPath,
    ['--max-old-space-size=256', '--import', 'tsx', 'bench/csv-parse.bench.ts', rows],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    console.error(`bench failed for ${rows} rows (exit ${result.status})`);
    process.exitCode = 1;
  }
}
