/**
 * Bench child: generate a day into a folder and write its manifest there (the parent passes the same files to the
 * end-to-end run and to the bare SQL job). Run: tsx bench/day/generate/generate.main.ts <records> <seed> <folder>
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAsChild } from '../child-run.ts';
import { generateDay } from './generate-day.ts';

const [records, seed, folder] = process.argv.slice(2);
if (!records || !seed || !folder) throw new Error('usage: generate.main.ts <records> <seed> <folder>');
await runAsChild(async () => {
  const manifest = await generateDay({ records: Number(records), seed: Number(seed), folder });
  const manifestPath = join(folder, 'manifest.json');
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return { manifestPath };
});
