import { parseArgs } from 'node:util';
import type { DayBenchOptions } from './day-bench.ts';

/** Day sizes when none are given: the 100K and 1M (10M is for a bigger machine: pass it explicitly). */
export const DEFAULT_DAY_SIZES = [100_000, 1_000_000] as const;

/**
 * `npm run bench -- [day] [records…] [--seed N] [--timeout-seconds N] [--threads N] [--keep-files]`.
 * @example dayOptions(['100000', '--seed', '7']) // { sizes: [100000], seed: 7, … }
 */
export function dayOptions(args: readonly string[]): { sizes: number[] } & DayBenchOptions {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      seed: { type: 'string', default: '20261119' },
      'timeout-seconds': { type: 'string', default: '1800' },
      threads: { type: 'string', default: '2' },
      'keep-files': { type: 'boolean', default: false },
    },
  });
  const sizes = positionals.map((text) => {
    const records = Number(text.replaceAll('_', ''));
    if (!Number.isInteger(records) || records < 1_000)
      throw new Error(`"${text}" is not a record count of at least 1000 (e.g. 100000)`);
    return records;
  });
  return {
    sizes: sizes.length > 0 ? sizes : [...DEFAULT_DAY_SIZES],
    seed: Number(values.seed),
    timeoutSeconds: Number(values['timeout-seconds']),
    threads: Number(values.threads),
    keepFiles: values['keep-files'] ?? false,
  };
}
