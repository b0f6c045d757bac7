import type { DatasetName } from '../../config/partners.ts';
import type { PartsRef } from '../../contracts/events/envelope.ts';
import type {
  DedupCounts,
  DedupTotals,
  RecordsDeduplicatedDetail,
} from '../../contracts/events/records-deduplicated.ts';
import { type DayKeys, dedupRunDayKeys } from './day-index.ts';

/**
 * One committed dedup run of a file, beside the file's registry row in `files` (`pk FILE#<fileId>`,
 * `sk DEDUP#<runId>`): what RecordsDeduplicated announced, findable by business date through `files-by-day`.
 */
export interface DedupRunRecord extends DayKeys {
  pk: string;
  sk: `DEDUP#${string}`;
  fileId: string;
  /** The validation run this dedup ran for (FileValidated's runId, carried on). */
  runId: string;
  partner: string;
  dataset: DatasetName;
  businessDate: string;
  schemaV: number;
  sha256: string;
  counts: DedupCounts;
  /** Rows and amounts per currency (minor units) of unique, duplicates and conflicts. */
  totals: DedupTotals;
  /** The unique (curated) Parquet parts. */
  unique: PartsRef;
  /** The RecordsDeduplicated event committed with this item. */
  eventId: string;
  committedAt: string;
}

/**
 * Key of the item recording a run's dedup. A separate item, not a new stage: the registry's
 * LANDED → VALIDATED | REJECTED machine stays as it is.
 * @example dedupRunKey('f_…', 'run_…') // { pk: 'FILE#f_…', sk: 'DEDUP#run_…' }
 */
export const dedupRunKey = (fileId: string, runId: string) => ({
  pk: `FILE#${fileId}`,
  sk: `DEDUP#${runId}` as const,
});

/**
 * The item a RecordsDeduplicated event (v1 or v2: only `unique`, always listed, is kept) is committed with.
 * @example const item = dedupRunRecordOf(event) // item.daySort 'transactions#acme-bank#f_…#DEDUP#run_…'
 */
export function dedupRunRecordOf(event: RecordsDeduplicatedDetail): DedupRunRecord {
  const { data } = event;
  return {
    ...dedupRunKey(data.fileId, event.runId),
    ...dedupRunDayKeys(data, event.runId),
    fileId: data.fileId,
    runId: event.runId,
    partner: data.partner,
    dataset: data.dataset,
    businessDate: data.businessDate,
    schemaV: data.schemaV,
    sha256: data.sha256,
    counts: data.counts,
    totals: data.totals,
    unique: data.unique,
    eventId: event.eventId,
    committedAt: event.occurredAt,
  };
}
