import type { MatchingRules } from '../../../config/matching-rules.ts';
import type { SetEngine } from '../../../lib/duckdb/set-engine.ts';
import type { MatchingWindow } from '../business-dates.ts';
import { MatchInputError } from '../errors.ts';
import type { DedupRunRef, MatchObjects } from '../ports.ts';
import { utf16OrderKeySql } from './utf16-order.ts';
import { loadRuns, type WindowFile } from './window-staging.ts';

export type { WindowFile } from './window-staging.ts';

/** The window as loaded: its files by `fileNo`, and the transactions left out as not settling. */
export interface LoadedWindow {
  readonly files: readonly WindowFile[];
  readonly notSettlingTransactions: number;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Files in JS order of file id (the canonical tie-break after date and id); a file read from two runs is a bug. */
export function windowFiles(partner: string, asOf: string, runs: readonly DedupRunRef[]): WindowFile[] {
  const byId = new Map<string, DedupRunRef>();
  for (const run of runs) {
    if (run.partner !== partner)
      throw new MatchInputError(partner, asOf, `file ${run.fileId} belongs to partner ${run.partner}`);
    const seen = byId.get(run.fileId);
    if (seen)
      throw new MatchInputError(
        partner,
        asOf,
        `file ${run.fileId} is read with two lineages (${seen.runId}, ${run.runId})`,
      );
    byId.set(run.fileId, run);
  }
  const dates = [...new Set(runs.map((run) => run.businessDate))].sort(cmp);
  return [...byId.values()]
    .sort((a, b) => cmp(a.fileId, b.fileId))
    .map((run, fileNo) => ({
      fileNo,
      dateNo: dates.indexOf(run.businessDate),
      fileId: run.fileId,
      runId: run.runId,
      businessDate: run.businessDate,
      dataset: run.dataset,
    }));
}

/** Rows matching reads: settling transactions first, then settlements (the in-memory check's order). */
const MATCHED_ROWS = `(SELECT 0 AS side, file_no, row_number FROM tx_rows WHERE settles
  UNION ALL SELECT 1, file_no, row_number FROM st_rows)`;

/** The first matched row (side, file, row) that a query finds, as the row id `file#row`. */
async function firstRow(engine: SetEngine, files: readonly WindowFile[], sql: string) {
  const found = await engine.db.runAndReadAll(sql);
  const [fileNo, rowNumber] = found.getRows()[0] ?? [];
  if (fileNo === undefined) return undefined;
  const file = files[Number(fileNo)] as WindowFile;
  return { id: `${file.fileId}#${String(rowNumber)}`, file };
}

/**
 * Preconditions of `inputFiles`, as SQL over the loaded rows: every row inside the window, no row twice. `rows` is
 * the relation of matched rows as `(side, file_no, row_number)`: the loaded tables, or the cut's row ids.
 */
export async function checkRows(
  engine: SetEngine,
  files: readonly WindowFile[],
  fail: (detail: string) => never,
  window: MatchingWindow,
  rows: string = MATCHED_ROWS,
): Promise<void> {
  const outside = files.filter((file) => file.businessDate < window.from || file.businessDate > window.to);
  if (outside.length > 0) {
    const row = await firstRow(
      engine,
      files,
      `SELECT file_no, row_number FROM ${rows}
       WHERE file_no IN (${outside.map((file) => file.fileNo).join(', ')}) ORDER BY side, file_no, row_number LIMIT 1`,
    );
    if (row)
      fail(`row ${row.id} has business date ${row.file.businessDate}, outside ${window.from}..${window.to}`);
  }
  const twice = await firstRow(
    engine,
    files,
    `SELECT file_no, row_number FROM ${rows} GROUP BY file_no, row_number HAVING count(*) > 1
     ORDER BY min(side), file_no, row_number LIMIT 1`,
  );
  if (twice) fail(`row ${twice.id} is given twice`);
}

/**
 * Rows of `kept` numbered `seq` in canonical order: business date, id in JS order, file, row. Ranked within each
 * date (parallel, unlike one window over the whole table) and offset by the rows of the earlier dates.
 */
function canonicalSql(kept: string, id: string): string {
  return `WITH kept AS (${kept}),
    ranked AS (
      SELECT row_number() OVER (PARTITION BY date_no ORDER BY ${utf16OrderKeySql(id)}, file_no, row_number) AS rank, *
      FROM kept),
    offsets AS (SELECT date_no, sum(count(*)) OVER (ORDER BY date_no) - count(*) AS before FROM kept GROUP BY date_no)
    SELECT (o.before + r.rank - 1)::BIGINT AS seq, r.* EXCLUDE (rank, date_no)
    FROM ranked r JOIN offsets o USING (date_no)`;
}

/**
 * Load the window's rows as `tx` (settling transactions) and `st` (settlements), each numbered `seq` in canonical
 * order (business date, id in JS string order, file id, row: `compareTransactions` / `compareSettlements`).
 * 1. Stage each run's unique parts and load them, refusing a part that holds another file's row.
 * 2. Check the preconditions in SQL (rows inside the window, no row twice); a breach is a reader bug and throws.
 * 3. Number both sides canonically and count the transactions left out as not settling.
 * @example const { files } = await loadWindow(engine, { partner, asOf, window, rules, runs, objects })
 */
export async function loadWindow(
  engine: SetEngine,
  request: {
    readonly partner: string;
    readonly asOf: string;
    readonly window: MatchingWindow;
    readonly rules: Pick<MatchingRules, 'settlingTypes'>;
    readonly runs: readonly DedupRunRef[];
    readonly objects: MatchObjects;
  },
): Promise<LoadedWindow> {
  const { partner, asOf } = request;
  const files = windowFiles(partner, asOf, request.runs);
  await loadRuns(engine, { ...request, files: new Map(files.map((file) => [file.fileId, file])) });
  await checkRows(
    engine,
    files,
    (detail) => {
      throw new MatchInputError(partner, asOf, detail);
    },
    request.window,
  );
  return { files, notSettlingTransactions: await numberCanonically(engine) };
}

/**
 * Number the loaded `tx_rows` (settling ones only) and `st_rows` canonically as `tx` and `st`, drop the loaded
 * tables, and return how many transactions were left out as not settling. A unit's rows (`units/`) are numbered
 * here too: the canonical order of a subset is the whole window's order restricted to it, so a unit decides and
 * orders its rows as the whole window does.
 */
export async function numberCanonically(engine: SetEngine): Promise<number> {
  const notSettling = await engine.db.runAndReadAll('SELECT count(*)::BIGINT FROM tx_rows WHERE NOT settles');
  await engine.db.run(
    `CREATE TABLE tx AS ${canonicalSql('SELECT * EXCLUDE (settles) FROM tx_rows WHERE settles', 'transaction_id')}`,
  );
  await engine.db.run(`CREATE TABLE st AS ${canonicalSql('SELECT * FROM st_rows', 'settlement_id')}`);
  await engine.db.run('DROP TABLE tx_rows');
  await engine.db.run('DROP TABLE st_rows');
  return Number(notSettling.getRows()[0]?.[0] ?? 0);
}
