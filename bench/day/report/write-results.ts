import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS_LIST_PRICES, PRICES_LOOKED_UP_ON, PRICES_REGION } from '../../../config/aws-list-prices.ts';
import type { DaySizeResult } from '../day-bench.ts';
import { type BenchMachine, resultsMarkdown } from './results-markdown.ts';

/** Where the latest results go: committed beside the bench, linked from the README. */
export const RESULTS_FOLDER = fileURLToPath(new URL('../../results/', import.meta.url));

/** Write `latest.json` (everything measured) and `latest.md` (the tables); returns the Markdown. */
export async function writeResults(machine: BenchMachine, sizes: readonly DaySizeResult[]): Promise<string> {
  await mkdir(RESULTS_FOLDER, { recursive: true });
  const markdown = resultsMarkdown(machine, sizes);
  const json = {
    machine,
    prices: { lookedUpOn: PRICES_LOOKED_UP_ON, region: PRICES_REGION, list: AWS_LIST_PRICES },
    sizes,
  };
  const jsonPath = join(RESULTS_FOLDER, 'latest.json');
  await writeFile(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(join(RESULTS_FOLDER, 'latest.md'), markdown);
  formatLikeTheRepo(jsonPath);
  return markdown;
}

/** The results are committed: format them with the repo's Biome so `npm run lint` stays clean. */
function formatLikeTheRepo(path: string): void {
  const biome = fileURLToPath(new URL('../../../node_modules/.bin/biome', import.meta.url));
  const result = spawnSync(biome, ['format', '--write', path], { encoding: 'utf8' });
  if (result.status !== 0)
    console.warn(`could not format ${path} with Biome: ${result.stderr || result.error}`);
}
