/**
 * Bench child: the generated day end to end on the offline runtime, in its own process so the parent can sample the
 * RSS of this process and its DynamoDB Local child alone. Run: tsx bench/day/e2e/end-to-end.main.ts <manifest> [timeout s]
 */
import { readFile } from 'node:fs/promises';
import { markMeasuring, runAsChild } from '../child-run.ts';
import type { DayManifest } from '../generate/day-truth.ts';

// The offline defaults `npm start` sets before any handler loads (cli/commands/runtime-commands.ts), except the file
// SLA: the watchdog's AWS default (600 s) instead of npm start's 20 s, so a long dedup is not re-driven mid-run and
// the counted requests are those a deployment would make.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.FINLEDGER_PAN_HMAC_KEY ??= 'offline-only-not-a-secret';

const [manifestPath, timeoutSeconds = '1800'] = process.argv.slice(2);
if (!manifestPath) throw new Error('usage: end-to-end.main.ts <manifest.json> [timeout seconds]');
const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as DayManifest;
await runAsChild(async () => {
  const { runEndToEnd } = await import('./end-to-end.ts');
  return runEndToEnd(manifest, Number(timeoutSeconds) * 1000, markMeasuring);
});
