/**
 * `npm run bench`: the day bench (default) or the micro-benches.
 * - `npm run bench [-- day] [records…]`: generated days (default 100K and 1M records) end to end on the offline
 *   runtime beside a bare DuckDB SQL job on the same files, with peak RSS, AWS requests per 1M records and the monthly
 *   cost; written to bench/results/latest.{json,md} (bench/README.md).
 * - `npm run bench -- micro [name] [rows…]`: CSV parsing, gold build and settlement matching alone (default 200k and
 *   1M rows); `name` (e.g. `gold-build`) runs only that one.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { benchDay, type DaySizeResult } from './day/day-bench.ts';
import { dayOptions } from './day/day-options.ts';
import { writeResults } from './day/report/write-results.ts';
import { runMicroBenches } from './micro.ts';

const [first, ...rest] = process.argv.slice(2);

if (first === 'micro') {
  if (!runMicroBenches(rest)) process.exitCode = 1;
} else {
  const options = dayOptions(first === 'day' ? rest : process.argv.slice(2));
  const machine = {
    measuredAt: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown CPU',
    memoryGiB: totalmem() / 1024 ** 3,
    loadAverageAtStart: loadavg(),
    node: process.version,
    seed: options.seed,
  };
  console.log(
    `day bench: ${options.sizes.map((size) => size.toLocaleString('en')).join(', ')} records; load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}; ${(freemem() / 1024 ** 3).toFixed(1)} GiB free`,
  );
  const results: DaySizeResult[] = [];
  for (const records of options.sizes) results.push(await benchDay(records, options));
  console.log(`\n${await writeResults(machine, results)}`);
  console.log('written: bench/results/latest.json, bench/results/latest.md');
  const failed = results.some((result) => !result.endToEnd.ok || !result.bare.ok);
  if (failed) process.exitCode = 1;
}
