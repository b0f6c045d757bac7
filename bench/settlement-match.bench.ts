/**
 * Settlement matching scaling: settlement-match's SQL match (`matchWindowInSql`: staging, checks, canonical order,
 * every pass, counts and sums) and its result parts streamed out (`writeResults`), over one partner's generated
 * window of N rows (transactions + settlements) as silver Parquet parts (`settlement-window/generate-window.ts`).
 * Each size is generated in one child process and matched in another with Node's heap capped, so the peak RSS
 * printed is the match's own (Node + DuckDB, `process.resourceUsage().maxRSS`), with the scratch folder's peak
 * (staged parts + spill) and the CPU time of all its threads (less sensitive to a busy machine than wall time).
 * With `--units`, the window is matched in units as settlement-match does above MATCH_IN_UNITS_ABOVE_ROWS: the plan
 * (load, cut, unit rows written), then each unit in turn (as many invocations would), then the join; it prints the
 * plan's time and the slowest unit's, which bound what one invocation must do; with `--plan-only` too, only the plan
 * and the first unit run (the plan's own peak RSS is printed either way).
 * Run: npm exec -- tsx bench/settlement-match.bench.ts [--units [--plan-only]] [rows…]   (default 2M and 5M rows)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findMatchingRules, type MatchingRules } from '../config/matching-rules.ts';
import { withSetEngine } from '../lib/duckdb/set-engine.ts';
import { memoryUnitLedger } from '../lib/work-units/test-support/memory-unit-ledger.ts';
import { matchingWindow } from '../services/settlement-match/business-dates.ts';
import { writeResults } from '../services/settlement-match/match-run.ts';
import {
  DEFAULT_MATCH_LIMITS,
  type DedupRunRef,
  type MatchObjects,
} from '../services/settlement-match/ports.ts';
import { unitSizesFromEnv } from '../services/settlement-match/side-effects.ts';
import { matchWindowInSql } from '../services/settlement-match/sql/match-window.ts';
import {
  type MatchUnit,
  type MatchUnitResult,
  type MatchUnitsWork,
  matchUnit,
  planMatchUnits,
} from '../services/settlement-match/units/match-unit-run.ts';
import { mib, perSecond } from './measure.ts';
import { AS_OF, type GeneratedFile, PARTNER } from './settlement-window/generate-window.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Node's heap in the measuring process: matching must not need the window in JS. */
const HEAP_MIB = 512;

/** The partner's rules (by reference, then payout batches N:1) with instalments (1:N) allowed too, so every shape runs. */
function benchRules(): MatchingRules {
  const configured = findMatchingRules(PARTNER);
  if (!configured) throw new Error(`no matching rules for ${PARTNER} in config/matching-rules.ts`);
  return {
    ...configured,
    passes: configured.passes.map((pass, index) =>
      index === 0 ? { ...pass, partialSettlements: true } : pass,
    ),
  };
}

/** Bytes under a folder now (staged parts, spill files); 0 once it is gone. */
async function folderBytes(folder: string): Promise<number> {
  try {
    const names = await readdir(folder, { recursive: true });
    const sizes = await Promise.all(
      names.map((name) =>
        stat(join(folder, name)).then(
          (s) => (s.isFile() ? s.size : 0),
          () => 0,
        ),
      ),
    );
    return sizes.reduce((sum, size) => sum + size, 0);
  } catch {
    return 0;
  }
}

/** The generated window's files as the registry's dedup runs. */
async function runsOf(folder: string): Promise<DedupRunRef[]> {
  const files = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as GeneratedFile[];
  return files.map((file) => ({
    fileId: file.fileId,
    partner: PARTNER,
    dataset: file.dataset,
    businessDate: file.businessDate,
    schemaV: 1,
    runId: file.runId,
    unique: { bucket: 'local', prefix: folder, parts: file.parts },
    uniqueRows: file.rows,
    committedAt: `${AS_OF}T20:00:00Z`,
  }));
}

/** Match the generated window in `folder` as settlement-match does, and print one line of JSON. */
async function matchFolder(folder: string): Promise<void> {
  const runs = await runsOf(folder);
  const written = { parts: 0, bytes: 0 };
  const objects: MatchObjects = {
    getObject: async (ref) => new Uint8Array(await readFile(ref.key)),
    putObject: async (_ref, bytes) => {
      written.parts += 1;
      written.bytes += bytes.length;
    },
  };
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  let scratchPeak = 0;
  const outcome = await withSetEngine(DEFAULT_MATCH_LIMITS.engine, async (engine) => {
    const sampler = setInterval(() => {
      void folderBytes(engine.folder).then((bytes) => {
        scratchPeak = Math.max(scratchPeak, bytes);
      });
    }, 250);
    try {
      const match = await matchWindowInSql(engine, {
        partner: PARTNER,
        asOf: AS_OF,
        rules: benchRules(),
        runs,
        objects,
      });
      const matchedAt = performance.now();
      const ports = { dedupRuns: async () => [], filesAwaitingDedup: async () => [], objects };
      await writeResults(match.records(), 'silver/matches/bench/', ports, {
        ...DEFAULT_MATCH_LIMITS,
        silverBucket: 'local',
      });
      return { counts: match.counts, matchSeconds: (matchedAt - started) / 1000 };
    } finally {
      clearInterval(sampler);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  console.log(
    JSON.stringify({
      ...outcome,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRss: process.resourceUsage().maxRSS * 1024,
      scratchPeak,
      written,
    }),
  );
}

/**
 * Match the generated window in `folder` in units, as settlement-match and its unit worker do, one after another in
 * this process; the plan's objects go to a folder beside the window, result parts are counted and dropped.
 */
async function matchFolderInUnits(folder: string, planOnly: boolean): Promise<void> {
  const runs = await runsOf(folder);
  const store = join(folder, 'objects');
  await mkdir(store, { recursive: true });
  const stored = (key: string) => join(store, encodeURIComponent(key));
  const written = { parts: 0, bytes: 0 };
  const objects: MatchObjects = {
    getObject: async (ref) =>
      new Uint8Array(await readFile(ref.bucket === 'local' ? ref.key : stored(ref.key))),
    putObject: async (ref, bytes) => {
      if (ref.key.includes('/_units/')) await writeFile(stored(ref.key), bytes);
      else {
        written.parts += 1;
        written.bytes += bytes.length;
      }
    },
  };
  const ports = { dedupRuns: async () => [], filesAwaitingDedup: async () => [], objects };
  const config = { ...DEFAULT_MATCH_LIMITS, silverBucket: 'store' };
  const rules = benchRules();
  const windowRows = runs.reduce((sum, run) => sum + run.uniqueRows, 0);
  const ledger = memoryUnitLedger<MatchUnitsWork, MatchUnitResult>();
  const units: MatchUnit[] = [];
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  // The child's TMPDIR is its own (benchSize), so every set engine's scratch folder under it is the plan's.
  let scratchPeak = 0;
  const sampler = setInterval(() => {
    void folderBytes(tmpdir()).then((bytes) => {
      scratchPeak = Math.max(scratchPeak, bytes);
    });
  }, 250);
  await planMatchUnits(
    {
      partner: PARTNER,
      asOf: AS_OF,
      rules,
      window: matchingWindow(AS_OF, rules),
      inputs: runs,
      windowRows,
      matchRunId: 'mr_bench',
    },
    'bench',
    ports,
    config,
    {
      ledger,
      dispatch: async (sent) => {
        units.push(...sent);
      },
      sizes: unitSizesFromEnv(),
    },
  );
  clearInterval(sampler);
  const planSeconds = (performance.now() - started) / 1000;
  const planRss = process.resourceUsage().maxRSS * 1024;
  const unitSeconds: number[] = [];
  let counts: Record<string, number> = {};
  // --plan-only: the plan and the first unit (what bounds one invocation), not the whole run one unit at a time.
  for (const unit of planOnly ? units.slice(0, 1) : units) {
    const unitStarted = performance.now();
    const end = await matchUnit(unit, ports, config, ledger);
    unitSeconds.push((performance.now() - unitStarted) / 1000);
    if (end.kind === 'joined') counts = { ...end.run.payload.counts };
  }
  const cpu = process.cpuUsage(cpuAtStart);
  console.log(
    JSON.stringify({
      counts,
      seconds: (performance.now() - started) / 1000,
      matchSeconds: planSeconds,
      planRss,
      unitSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRss: process.resourceUsage().maxRSS * 1024,
      scratchPeak,
      written,
    }),
  );
}

/** Generate a window of `rows` rows in a child process, match it in another, print the figures. */
function benchSize(rows: number, folder: string, inUnits: boolean, planOnly: boolean): boolean {
  const scratch = join(folder, 'tmp');
  const child = (nodeFlags: string[], script: string, args: string[]) =>
    spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TMPDIR: scratch },
    });
  mkdirSync(scratch, { recursive: true });
  const generating = performance.now();
  const generated = child([], 'bench/settlement-window/generate-window.ts', [String(rows), folder]);
  if (generated.status !== 0) return false;
  const generation = (performance.now() - generating) / 1000;
  const matched = child([`--max-old-space-size=${HEAP_MIB}`], 'bench/settlement-match.bench.ts', [
    inUnits ? '--match-in-units' : '--match',
    folder,
    ...(planOnly ? ['--plan-only'] : []),
  ]);
  const line = matched.stdout.trim().split('\n').at(-1);
  if (matched.status !== 0 || !line) return false;
  const figures = JSON.parse(line) as {
    counts: Record<string, number>;
    seconds: number;
    cpuSeconds: number;
    matchSeconds: number;
    peakRss: number;
    planRss?: number;
    scratchPeak: number;
    written: { parts: number; bytes: number };
    unitSeconds?: number[];
  };
  const { counts } = figures;
  if (figures.unitSeconds) {
    const slowest = Math.max(...figures.unitSeconds);
    console.log(
      `settlement match in units: ${rows.toLocaleString('en')} rows (generated in ${generation.toFixed(1)} s), ` +
        `plan ${figures.matchSeconds.toFixed(1)} s (peak RSS ${mib(figures.planRss ?? 0)}, scratch ${mib(figures.scratchPeak)}), ` +
        `${planOnly ? 'first unit only: ' : ''}` +
        `${figures.unitSeconds.length} units (slowest ${slowest.toFixed(1)} s, all ${figures.unitSeconds
          .reduce((sum, seconds) => sum + seconds, 0)
          .toFixed(
            1,
          )} s one after another), total ${figures.seconds.toFixed(1)} s; CPU ${figures.cpuSeconds.toFixed(1)} s; ` +
        `peak RSS ${mib(figures.peakRss)}; ${figures.written.parts} result parts, ${mib(figures.written.bytes)}\n` +
        `  matched groups ${counts.matchedGroups?.toLocaleString('en')}, unmatched ${counts.unmatchedTransactions}, ` +
        `orphans ${counts.orphanSettlements}, mismatches ${counts.amountMismatches}`,
    );
    return true;
  }
  const read = (counts.transactions ?? 0) + (counts.settlements ?? 0);
  console.log(
    `settlement match (SQL): ${read.toLocaleString('en')} rows (${counts.transactions?.toLocaleString('en')} transactions + ` +
      `${counts.settlements?.toLocaleString('en')} settlements, generated in ${generation.toFixed(1)} s), ` +
      `${figures.seconds.toFixed(1)} s → ${perSecond(read, figures.seconds)} rows/s ` +
      `(match ${figures.matchSeconds.toFixed(1)} s, results ${(figures.seconds - figures.matchSeconds).toFixed(1)} s: ` +
      `${figures.written.parts} parts, ${mib(figures.written.bytes)}); CPU ${figures.cpuSeconds.toFixed(1)} s (Node and DuckDB ` +
      `threads); peak RSS ${mib(figures.peakRss)} (Node heap capped at ${HEAP_MIB} MiB, DuckDB at 1 GB); ` +
      `scratch folder peak ${mib(figures.scratchPeak)}\n  matched groups ${counts.matchedGroups?.toLocaleString('en')}, ` +
      `partially settled ${counts.partiallySettled}, unmatched ${counts.unmatchedTransactions}, ` +
      `orphans ${counts.orphanSettlements}, mismatches ${counts.amountMismatches}`,
  );
  return true;
}

const args = process.argv.slice(2);
if (args[0] === '--match' && args[1]) await matchFolder(args[1]);
else if (args[0] === '--match-in-units' && args[1])
  await matchFolderInUnits(args[1], args.includes('--plan-only'));
else {
  const sizes = args.filter((arg) => /^[0-9]+$/.test(arg)).map(Number);
  for (const rows of sizes.length > 0 ? sizes : [2_000_000, 5_000_000]) {
    const folder = await mkdtemp(join(tmpdir(), 'finledger-window-'));
    try {
      if (!benchSize(rows, folder, args.includes('--units'), args.includes('--plan-only'))) {
        console.error(`settlement match bench failed for ${rows} rows`);
        process.exitCode = 1;
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
}
