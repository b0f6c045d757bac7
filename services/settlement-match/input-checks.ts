import type { MatchingWindow } from './business-dates.ts';
import { MatchInputError } from './errors.ts';
import { type MatchableSettlement, type MatchableTransaction, type RowLineage, rowId } from './rows.ts';

/** A file matched over: what the `SettlementsMatched` event lists as its inputs (plus the dedup run). */
export interface MatchInputFile {
  readonly dataset: 'transactions' | 'settlements';
  readonly fileId: string;
  readonly businessDate: string;
  /** The validation run whose rows were read (`_run_id`). */
  readonly runId: string;
}

/**
 * The files the rows came from, in (dataset, businessDate, fileId) order. Also the precondition check:
 * every row is the partner's and inside the window, no row is given twice, and each file is read from one
 * run only (rows of two runs of one file would count the file twice).
 */
export function inputFiles(
  partner: string,
  asOf: string,
  window: MatchingWindow,
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
): MatchInputFile[] {
  const files = new Map<string, MatchInputFile>();
  const rows = new Set<string>();
  const fail = (detail: string): never => {
    throw new MatchInputError(partner, asOf, detail);
  };
  const visit = (dataset: MatchInputFile['dataset'], row: RowLineage): void => {
    const id = rowId(row);
    if (row.partner !== partner) fail(`row ${id} belongs to partner ${row.partner}`);
    if (row.business_date < window.from || row.business_date > window.to) {
      fail(`row ${id} has business date ${row.business_date}, outside ${window.from}..${window.to}`);
    }
    if (rows.has(id)) fail(`row ${id} is given twice`);
    rows.add(id);
    const file = files.get(row._file_id);
    if (file === undefined) {
      files.set(row._file_id, {
        dataset,
        fileId: row._file_id,
        businessDate: row.business_date,
        runId: row._run_id,
      });
    } else if (
      file.runId !== row._run_id ||
      file.dataset !== dataset ||
      file.businessDate !== row.business_date
    ) {
      fail(`file ${row._file_id} is read with two lineages (${file.runId}, ${row._run_id})`);
    }
  };
  for (const row of transactions) visit('transactions', row);
  for (const row of settlements) visit('settlements', row);
  return [...files.values()].sort(
    (a, b) => cmp(a.dataset, b.dataset) || cmp(a.businessDate, b.businessDate) || cmp(a.fileId, b.fileId),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
