import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BareResult } from './bare/bare-job.ts';
import { runChild } from './child-run.ts';
import type { EndToEndResult } from './e2e/end-to-end.ts';
import type { DayManifest } from './generate/day-truth.ts';
import { compareWithTruth, type TruthComparison } from './report/compare-truth.ts';
import { type MonthlyCost, monthlyCost } from './report/monthly-cost.ts';

/** What one day size measured: the end-to-end run and the bare SQL job on the same files, and the comparison. */
export interface DaySizeResult {
  readonly requestedRecords: number;
  readonly records: number;
  readonly files: number;
  readonly bytes: number;
  readonly generatedInSeconds: number;
  readonly endToEnd:
    | {
        readonly ok: true;
        readonly result: EndToEndResult;
        readonly peakRssBytes: number;
        readonly wholeRunPeakRssBytes: number;
      }
    | { readonly ok: false; readonly error: string; readonly peakRssBytes: number };
  readonly bare:
    | { readonly ok: true; readonly result: BareResult; readonly peakRssBytes: number }
    | { readonly ok: false; readonly error: string };
  /** End-to-end seconds over bare seconds (null when either failed). */
  readonly ratio: number | null;
  readonly comparison: TruthComparison;
  readonly cost: MonthlyCost | null;
}

/** How every size of one `npm run bench` invocation is run. */
export interface DayBenchOptions {
  readonly seed: number;
  readonly timeoutSeconds: number;
  readonly threads: number;
  /** Keep the generated files (their folder is printed). */
  readonly keepFiles: boolean;
}

/**
 * One day size: generate it, run it end to end, run the bare SQL job on the same files, compare both with the truth
 * and project the cost. Each step is its own process; a failed end-to-end run is reported with its error, not thrown,
 * so the bare job and the other sizes still run.
 */
export async function benchDay(records: number, options: DayBenchOptions): Promise<DaySizeResult> {
  const folder = await mkdtemp(join(tmpdir(), 'finledger-bench-day-'));
  try {
    console.log(
      `\n== generated day of ${records.toLocaleString('en')} records (seed ${options.seed}) in ${folder} ==`,
    );
    const generation = await runChild<{ manifestPath: string }>('bench/day/generate/generate.main.ts', [
      String(records),
      String(options.seed),
      folder,
    ]);
    if (!generation.ok) throw new Error(`generating the day failed: ${generation.error}`);
    const generated = generation.result;
    const manifest = JSON.parse(await readFile(generated.manifestPath, 'utf8')) as DayManifest;
    console.log(
      `${manifest.records.toLocaleString('en')} records in ${manifest.files.length} files, ${(manifest.bytes / 1024 ** 2).toFixed(1)} MiB, generated in ${manifest.generatedInSeconds.toFixed(1)} s`,
    );
    const endToEnd = await runEndToEnd(generated.manifestPath, options);
    const bare = await runBare(generated.manifestPath, options);
    const ratio = endToEnd.ok && bare.ok ? endToEnd.result.seconds / bare.result.seconds : null;
    return {
      requestedRecords: records,
      records: manifest.records,
      files: manifest.files.length,
      bytes: manifest.bytes,
      generatedInSeconds: manifest.generatedInSeconds,
      endToEnd,
      bare,
      ratio,
      comparison: compareWithTruth(
        manifest.partners,
        endToEnd.ok ? endToEnd.result.reported : null,
        bare.ok ? bare.result.counts : null,
      ),
      cost: endToEnd.ok ? monthlyCost({ records: manifest.records, ...endToEnd.result }) : null,
    };
  } finally {
    if (options.keepFiles) console.log(`generated files kept in ${folder}`);
    else await rm(folder, { recursive: true, force: true });
  }
}

async function runEndToEnd(
  manifestPath: string,
  options: DayBenchOptions,
): Promise<DaySizeResult['endToEnd']> {
  console.log('end to end on the offline runtime …');
  const outcome = await runChild<EndToEndResult>('bench/day/e2e/end-to-end.main.ts', [
    manifestPath,
    String(options.timeoutSeconds),
  ]);
  const peak = outcome.rss.measuredBytes;
  if (!outcome.ok) {
    console.error(`end to end failed (peak RSS ${gib(peak)}): ${outcome.error}`);
    return { ok: false, error: outcome.error, peakRssBytes: peak };
  }
  console.log(`end to end: ${outcome.result.seconds.toFixed(1)} s, peak RSS ${gib(peak)}`);
  return {
    ok: true,
    result: outcome.result,
    peakRssBytes: peak,
    wholeRunPeakRssBytes: outcome.rss.wholeRunBytes,
  };
}

async function runBare(manifestPath: string, options: DayBenchOptions): Promise<DaySizeResult['bare']> {
  console.log(`bare DuckDB SQL job (${options.threads} threads) …`);
  const outcome = await runChild<BareResult>('bench/day/bare/bare.main.ts', [
    manifestPath,
    String(options.threads),
  ]);
  if (!outcome.ok) {
    console.error(`bare SQL failed: ${outcome.error}`);
    return { ok: false, error: outcome.error };
  }
  console.log(`bare SQL: ${outcome.result.seconds.toFixed(2)} s, peak RSS ${gib(outcome.rss.measuredBytes)}`);
  return { ok: true, result: outcome.result, peakRssBytes: outcome.rss.measuredBytes };
}

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
