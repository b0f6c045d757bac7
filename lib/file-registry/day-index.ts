import type { DatasetName } from '../../config/partners.ts';

/**
 * Global secondary index of the `files` table (declared in the topology) that lists one business date's file
 * records and dedup runs: partition `day` (YYYY-MM-DD), sort `daySort` = `<dataset>#<partner>#<fileId>#<kind>`, so
 * a dataset, or a dataset and partner, is a `begins_with` range and a file's items sort together.
 */
export const FILES_BY_DAY_INDEX = 'files-by-day';

/** The attributes that place an item in `files-by-day`. */
export interface DayKeys {
  /** Business date of the file, YYYY-MM-DD. */
  day: string;
  daySort: string;
}

/** Who a file is, as far as the day index is concerned. */
export interface FileOfDay {
  readonly fileId: string;
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly businessDate: string;
}

/**
 * Day keys of a file's registry record.
 * @example fileDayKeys({ fileId: 'f_…', partner: 'acme-bank', dataset: 'transactions', businessDate: '2026-11-20' })
 * // { day: '2026-11-20', daySort: 'transactions#acme-bank#f_…#FILE' }
 */
export function fileDayKeys(file: FileOfDay): DayKeys {
  return {
    day: file.businessDate,
    daySort: `${daySortPrefix(file.dataset, file.partner)}${file.fileId}#FILE`,
  };
}

/**
 * Day keys of one dedup run of a file.
 * @example dedupRunDayKeys(file, 'run_1') // { day: '2026-11-20', daySort: 'transactions#acme-bank#f_…#DEDUP#run_1' }
 */
export function dedupRunDayKeys(file: FileOfDay, runId: string): DayKeys {
  return {
    day: file.businessDate,
    daySort: `${daySortPrefix(file.dataset, file.partner)}${file.fileId}#DEDUP#${runId}`,
  };
}

/**
 * The `begins_with` prefix of a dataset's items on a day, or of one partner's (partner ids never hold `#`).
 * @example daySortPrefix('transactions', 'acme-bank') // 'transactions#acme-bank#'
 */
export function daySortPrefix(dataset: DatasetName, partner?: string): string {
  return partner === undefined ? `${dataset}#` : `${dataset}#${partner}#`;
}
