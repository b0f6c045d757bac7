import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { findMatchingRules, type MatchingRules } from '../../../config/matching-rules.ts';
import type { DatasetName } from '../../../config/partners.ts';
import { sqlText } from '../../../lib/duckdb/set-engine.ts';
import type { PartnerCounts } from '../day-counts.ts';
import type { DayManifest } from '../generate/day-truth.ts';
import { rawRowsSql } from './csv-sources.ts';
import { dedupSql } from './dedup-sql.ts';
import { matchCountsSql, openRowsSql, passSql } from './match-sql.ts';
import { currenciesSql, trailerBreaksSql, validateSql } from './validate-sql.ts';

/** The bare DuckDB job's wall time, per step, and what it concluded. */
export interface BareResult {
  readonly seconds: number;
  readonly steps: readonly { readonly name: string; readonly seconds: number }[];
  readonly counts: readonly PartnerCounts[];
  /** Files whose trailer is missing or declares another row count. */
  readonly trailerBreaks: Record<DatasetName, number>;
  readonly parquet: { readonly files: number; readonly bytes: number };
  readonly duckdbVersion: string;
}

const DATASETS: readonly DatasetName[] = ['transactions', 'settlements'];

/**
 * The same logical job as the pipeline, as one DuckDB session over the same CSV files: no AWS, no events, no state.
 *
 * Primary course (all timed, one clock):
 * 1. Read every file (its own encoding), drop its trailer, check the trailer's row count.
 * 2. Validate each row against the dataset contract; amounts to integer minor units.
 * 3. Dedup within and across files by partner and natural key: duplicates and conflicts.
 * 4. Match settlements per partner by its rules' passes.
 * 5. Totals per currency (valid and unique rows); write unique rows, quarantine and open items as Parquet.
 */
export async function runBareJob(
  manifest: DayManifest,
  folder: string,
  threads: number,
  /** Told when the timed phase starts and ends (the bench child forwards it to the RSS sampler). */
  measuring: (on: boolean) => void = () => {},
): Promise<BareResult> {
  await mkdir(join(folder, 'spill'), { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(threads),
    temp_directory: join(folder, 'spill'),
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const db = await instance.connect();
  const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();
  const steps: { name: string; seconds: number }[] = [];
  const step = async (name: string, statements: readonly string[]) => {
    const started = performance.now();
    for (const statement of statements) await db.run(statement);
    steps.push({ name, seconds: (performance.now() - started) / 1000 });
  };
  const rules = [...new Set(manifest.files.map((file) => file.partner))].map((partner) => {
    const found = findMatchingRules(partner);
    if (!found) throw new Error(`config/matching-rules.ts has no rules for ${partner}`);
    return found;
  });
  const parquetFolder = join(folder, 'parquet');
  await mkdir(parquetFolder, { recursive: true });

  measuring(true);
  const started = performance.now();
  await step('read CSV', [
    currenciesSql(),
    ...DATASETS.map((dataset) => `CREATE TABLE ${dataset}_raw AS ${rawRowsSql(dataset, manifest.files)}`),
  ]);
  await step(
    'validate',
    DATASETS.map((dataset) => validateSql(dataset, manifest.businessDate)),
  );
  await step('dedup', DATASETS.map(dedupSql));
  await step('match', [...openRowsSql(rules), ...rules.flatMap((rule) => passesOf(rule))]);
  await step('totals', [
    `CREATE TABLE valid_sums AS SELECT 'transactions' AS dataset, partner, currency, sum(amount_minor) AS minor FROM transactions_rows WHERE problem IS NULL GROUP BY ALL
     UNION ALL SELECT 'settlements', partner, currency, sum(amount_minor) FROM settlements_rows WHERE problem IS NULL GROUP BY ALL`,
    `CREATE TABLE unique_sums AS SELECT 'transactions' AS dataset, partner, currency, sum(amount_minor) AS minor FROM transactions_dedup WHERE outcome = 'unique' GROUP BY ALL
     UNION ALL SELECT 'settlements', partner, currency, sum(amount_minor) FROM settlements_dedup WHERE outcome = 'unique' GROUP BY ALL`,
  ]);
  await step('write Parquet', writeParquetSql(parquetFolder));
  const counts = await countsOf(rows);
  const trailerBreaks = {
    transactions: Number((await rows(trailerBreaksSql('transactions')))[0]?.breaks ?? 0),
    settlements: Number((await rows(trailerBreaksSql('settlements')))[0]?.breaks ?? 0),
  };
  const seconds = (performance.now() - started) / 1000;
  measuring(false);

  const version = String((await rows('SELECT version() AS v'))[0]?.v ?? '?');
  db.closeSync();
  instance.closeSync();
  return {
    seconds,
    steps,
    counts,
    trailerBreaks,
    parquet: await folderSize(parquetFolder),
    duckdbVersion: version,
  };
}

const passesOf = (rule: MatchingRules): string[] => rule.passes.flatMap((pass) => passSql(rule, pass));

/** Unique rows per dataset, the quarantine (invalid rows and conflicts) and the open match items, zstd Parquet. */
function writeParquetSql(folder: string): string[] {
  const to = (name: string) =>
    `TO ${sqlText(join(folder, `${name}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`;
  return [
    `COPY (SELECT * EXCLUDE (contents, copy, outcome, scope) FROM transactions_dedup WHERE outcome = 'unique' ORDER BY partner, natural_key) ${to('transactions-unique')}`,
    `COPY (SELECT * EXCLUDE (contents, copy, outcome, scope) FROM settlements_dedup WHERE outcome = 'unique' ORDER BY partner, natural_key) ${to('settlements-unique')}`,
    `COPY (SELECT 'transactions' AS dataset, partner, file, row_number, problem AS reason FROM transactions_rows WHERE problem IS NOT NULL
           UNION ALL SELECT 'settlements', partner, file, row_number, problem FROM settlements_rows WHERE problem IS NOT NULL
           UNION ALL SELECT 'transactions', partner, file, row_number, 'conflict ' || scope FROM transactions_dedup WHERE outcome = 'conflict'
           UNION ALL SELECT 'settlements', partner, file, row_number, 'conflict ' || scope FROM settlements_dedup WHERE outcome = 'conflict') ${to('quarantine')}`,
    `COPY (SELECT 'unmatched' AS item, partner, transaction_id AS id FROM open_tx UNION ALL SELECT 'orphan', partner, settlement_id FROM open_st) ${to('open-items')}`,
  ];
}

/** Per partner, the job's conclusions in the ground truth's shape. */
async function countsOf(rows: (sql: string) => Promise<Record<string, unknown>[]>): Promise<PartnerCounts[]> {
  const perDataset = await rows(`
    SELECT 'transactions' AS dataset, partner, count(*) AS rows, count(*) FILTER (WHERE problem IS NOT NULL) AS invalid FROM transactions_rows GROUP BY ALL
    UNION ALL SELECT 'settlements', partner, count(*), count(*) FILTER (WHERE problem IS NOT NULL) FROM settlements_rows GROUP BY ALL`);
  const outcomes = await rows(`
    SELECT 'transactions' AS dataset, partner, outcome, count(*) AS n FROM transactions_dedup GROUP BY ALL
    UNION ALL SELECT 'settlements', partner, outcome, count(*) FROM settlements_dedup GROUP BY ALL`);
  const matching = await rows(matchCountsSql);
  const sums = await rows(
    'SELECT dataset, partner, currency, CAST(minor AS VARCHAR) AS minor FROM valid_sums ORDER BY ALL',
  );
  const partners = [...new Set(perDataset.map((row) => String(row.partner)))].sort();
  const pick = (partner: string, dataset: DatasetName, field: string) =>
    Number(perDataset.find((row) => row.partner === partner && row.dataset === dataset)?.[field] ?? 0);
  const outcome = (partner: string, dataset: DatasetName, name: string) =>
    Number(
      outcomes.find((row) => row.partner === partner && row.dataset === dataset && row.outcome === name)?.n ??
        0,
    );
  const byDataset = <T>(make: (dataset: DatasetName) => T) =>
    ({ transactions: make('transactions'), settlements: make('settlements') }) as Record<DatasetName, T>;
  return partners.map((partner) => {
    const match = matching.find((row) => row.partner === partner);
    return {
      partner,
      rows: byDataset((dataset) => pick(partner, dataset, 'rows')),
      invalid: byDataset((dataset) => pick(partner, dataset, 'invalid')),
      duplicates: byDataset((dataset) => outcome(partner, dataset, 'duplicate')),
      conflicts: byDataset((dataset) => outcome(partner, dataset, 'conflict')),
      matching: match
        ? {
            transactions: Number(match.transactions),
            matched: Number(match.matched),
            partiallySettled: Number(match.partially_settled),
            unmatched: Number(match.unmatched),
            mismatched: Number(match.mismatched),
            settlements: Number(match.settlements),
            orphanSettlements: Number(match.orphans),
          }
        : null,
      validSums: byDataset((dataset) =>
        Object.fromEntries(
          sums
            .filter((row) => row.partner === partner && row.dataset === dataset)
            .map((row) => [String(row.currency), String(row.minor)]),
        ),
      ),
    };
  });
}

/** Files and bytes written under a folder (one level). */
async function folderSize(folder: string): Promise<{ files: number; bytes: number }> {
  const names = await readdir(folder);
  const sizes = await Promise.all(names.map(async (name) => (await stat(join(folder, name))).size));
  return { files: names.length, bytes: sizes.reduce((total, size) => total + size, 0) };
}
