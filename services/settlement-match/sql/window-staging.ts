import { rm } from 'node:fs/promises';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import { findDataset } from '../../../contracts/datasets/catalog.ts';
import { type SetEngine, sqlPaths, sqlText } from '../../../lib/duckdb/set-engine.ts';
import { MatchInputError, SettlementMatchError } from '../errors.ts';
import type { DedupRunRef, MatchObjects } from '../ports.ts';

/** One input file of the window; `fileNo` is its rank in JS order of file ids (the canonical tie-break). */
export interface WindowFile {
  readonly fileNo: number;
  /** Rank of its business date among the window's. */
  readonly dateNo: number;
  readonly fileId: string;
  readonly runId: string;
  readonly businessDate: string;
  readonly dataset: DedupRunRef['dataset'];
}

/** A unique part staged in the scratch folder, numbered in reading order (runs as given, then parts). */
export interface StagedPart {
  readonly partNo: number;
  readonly path: string;
  readonly key: string;
  readonly file: WindowFile;
}

const COLUMNS = {
  transactions: ['transaction_id', 'type', 'amount_minor', 'currency', 'settlement_reference'],
  settlements: [
    'settlement_id',
    'transaction_reference',
    'amount_minor',
    'fee_minor',
    'currency',
    'payout_batch_id',
  ],
} as const;

/** The run's contract must be deployed and hold every column matching reads. */
export function checkContract(run: DedupRunRef): void {
  const contract = findDataset(run.dataset, run.schemaV);
  if (!contract)
    throw new SettlementMatchError(
      `No dataset contract ${run.dataset} v${run.schemaV} is deployed for file ${run.fileId}. Deploy settlement-match with it, then redrive the DLQ.`,
    );
  const names = new Set(contract.silverColumns.map((column) => column.name));
  for (const name of COLUMNS[run.dataset])
    if (!names.has(name))
      throw new SettlementMatchError(`${contract.name} v${contract.version} has no silver column ${name}.`);
}

/**
 * Columns as the in-memory reader read them: `String(null)` is 'null' and a missing amount is 0. Reads `r` (a
 * unique part) and `p` (its file's `date_no` and `file_no`).
 */
export function columnsSql(dataset: DedupRunRef['dataset'], settlingTypes: readonly string[]): string {
  const lineage = 'p.date_no, p.file_no, coalesce(r._row_number, 0)::BIGINT AS row_number';
  if (dataset === 'transactions') {
    const settles =
      settlingTypes.length === 0
        ? 'false'
        : `coalesce(r.type, 'null') IN (${settlingTypes.map(sqlText).join(', ')})`;
    return `${lineage}, coalesce(r.transaction_id, 'null') AS transaction_id, ${settles} AS settles,
      coalesce(r.amount_minor, 0)::BIGINT AS amount, coalesce(r.currency, 'null') AS currency,
      r.settlement_reference`;
  }
  return `${lineage}, coalesce(r.settlement_id, 'null') AS settlement_id,
    coalesce(r.transaction_reference, 'null') AS transaction_reference, coalesce(r.amount_minor, 0)::BIGINT AS amount,
    coalesce(r.fee_minor, 0)::BIGINT AS fee, coalesce(r.currency, 'null') AS currency, r.payout_batch_id`;
}

/** The loaded rows of each side, as `columnsSql` reads them (`tx_rows` keeps `settles`; `loadWindow` numbers both). */
export async function createRowTables(engine: SetEngine): Promise<void> {
  await engine.db.run(`CREATE TABLE tx_rows (date_no INTEGER, file_no INTEGER, row_number BIGINT, transaction_id VARCHAR,
    settles BOOLEAN, amount BIGINT, currency VARCHAR, settlement_reference VARCHAR)`);
  await engine.db.run(`CREATE TABLE st_rows (date_no INTEGER, file_no INTEGER, row_number BIGINT, settlement_id VARCHAR,
    transaction_reference VARCHAR, amount BIGINT, fee BIGINT, currency VARCHAR, payout_batch_id VARCHAR)`);
}

/**
 * Every row of staged parts of one dataset, with `filename` and `file_row_number` to trace each row to its part,
 * joined as `p` to the parts' lineage in `table` (`recordStagedParts`).
 */
export const partsRelation = (parts: readonly StagedPart[], table = 'staged_parts') =>
  `read_parquet(${sqlPaths(parts.map((part) => part.path))}, filename = true, file_row_number = true,
    union_by_name = true) r JOIN ${table} p ON p.path = r.filename`;

/** Record staged parts' lineage (number, path, date, file) as `table`, replacing what it held. */
export async function recordStagedParts(
  engine: SetEngine,
  parts: readonly StagedPart[],
  table = 'staged_parts',
): Promise<void> {
  await engine.db.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (part_no INTEGER, path VARCHAR, date_no INTEGER, file_no INTEGER, file_id VARCHAR)`,
  );
  const appender = await engine.db.createAppender(table);
  for (const part of parts) {
    appender.appendInteger(part.partNo);
    appender.appendVarchar(part.path);
    appender.appendInteger(part.file.dateNo);
    appender.appendInteger(part.file.fileNo);
    appender.appendVarchar(part.file.fileId);
    appender.endRow();
  }
  appender.closeSync();
}

/** Download each unique part of the runs to the scratch folder, one object in memory at a time. */
async function stageParts(
  engine: SetEngine,
  runs: readonly DedupRunRef[],
  files: ReadonlyMap<string, WindowFile>,
  objects: MatchObjects,
): Promise<StagedPart[]> {
  const parts: StagedPart[] = [];
  for (const run of runs) {
    checkContract(run);
    const file = files.get(run.fileId) as WindowFile;
    for (const key of run.unique.parts) {
      const bytes = await objects.getObject({ bucket: run.unique.bucket, key });
      const path = await engine.stage(`part-${parts.length}.parquet`, bytes);
      parts.push({ partNo: parts.length, path, key, file });
    }
  }
  await recordStagedParts(engine, parts);
  return parts;
}

/** The first row (in reading order) of a part that holds another file's row, if any; lineage in `table`. */
export async function firstForeignRow(
  engine: SetEngine,
  parts: readonly StagedPart[],
  table = 'staged_parts',
) {
  if (parts.length === 0) return undefined;
  const found = await engine.db.runAndReadAll(
    `SELECT p.part_no, coalesce(r._file_id, 'null') FROM ${partsRelation(parts, table)}
     WHERE r._file_id IS DISTINCT FROM p.file_id ORDER BY p.part_no, r.file_row_number LIMIT 1`,
  );
  const [partNo, fileId] = found.getRows()[0] ?? [];
  const part = parts.find((staged) => staged.partNo === Number(partNo));
  return part === undefined ? undefined : { part, fileId: String(fileId) };
}

/**
 * Stage the runs' unique parts and load their rows into `tx_rows` and `st_rows`, each file's lineage as small
 * numbers (`date_no`, `file_no`) instead of repeated text. A part holding another file's row breaks the registry's
 * lineage: refused, naming the first such part (in reading order) and row's file. Staged parts are removed once read.
 */
export async function loadRuns(
  engine: SetEngine,
  request: {
    readonly partner: string;
    readonly asOf: string;
    readonly runs: readonly DedupRunRef[];
    readonly files: ReadonlyMap<string, WindowFile>;
    readonly objects: MatchObjects;
    readonly rules: Pick<MatchingRules, 'settlingTypes'>;
  },
): Promise<void> {
  const parts = await stageParts(engine, request.runs, request.files, request.objects);
  const byDataset = (dataset: DedupRunRef['dataset']) =>
    parts.filter((part) => part.file.dataset === dataset);
  const foreign = [
    await firstForeignRow(engine, byDataset('transactions')),
    await firstForeignRow(engine, byDataset('settlements')),
  ].sort((a, b) => (a?.part.partNo ?? Infinity) - (b?.part.partNo ?? Infinity))[0];
  if (foreign)
    throw new MatchInputError(
      request.partner,
      request.asOf,
      `part ${foreign.part.key} holds a row of ${foreign.fileId}`,
    );
  await createRowTables(engine);
  for (const [dataset, table] of [
    ['transactions', 'tx_rows'],
    ['settlements', 'st_rows'],
  ] as const) {
    const staged = byDataset(dataset);
    if (staged.length > 0)
      await engine.db.run(
        `INSERT INTO ${table} SELECT ${columnsSql(dataset, request.rules.settlingTypes)} FROM ${partsRelation(staged)}`,
      );
  }
  for (const part of parts) await rm(part.path);
}
