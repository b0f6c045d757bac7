import type { DatasetName } from '../../config/partners.ts';
import type { TransactItem } from '../outbox/transaction.ts';
import { type FileRecord, type FileStage, fileKey } from './file-record.ts';

/** A new run id (a landing's or a rerun's): every stage of the files in the run carries it. */
export const runIdFrom = (uuid: string): string => `run_${uuid.replaceAll('-', '')}`;

/** The shape of the ids `runIdFrom` makes. */
export const RUN_ID_PATTERN = /^run_[0-9a-f]{32}$/;

/**
 * A deliberate rerun of a business date range, in `files` (`pk RUN#<runId>`, `sk RUN`). Carries no day keys: it is
 * read by run id, never listed with a day's files.
 */
export interface RerunRecord {
  pk: string;
  sk: 'RUN';
  runId: string;
  kind: 'rerun';
  /** Inclusive business date range, YYYY-MM-DD. */
  from: string;
  to: string;
  /** Filters; null means every dataset / every partner. */
  dataset: DatasetName | null;
  partner: string | null;
  requestedAt: string;
  requestedBy: string | null;
  /** Files moved into this run so far (members), set at the end of each pass. */
  fileCount: number;
  /** Passes over the range (1 for a run that was never resumed). */
  passes: number;
  lastPassAt: string | null;
  /** What the last pass did: files reopened, already in this run, skipped with a reason. */
  lastPass: { reopened: number; alreadyInRun: number; skipped: number } | null;
}

/**
 * One file moved into a run (`pk RUN#<runId>`, `sk FILE#<fileId>`), written in the same transaction that reopens the
 * file, on condition that it does not exist: a file enters a run at most once, whatever is retried or resumed.
 */
export interface RunMemberRecord {
  pk: string;
  sk: `FILE#${string}`;
  runId: string;
  fileId: string;
  partner: string;
  dataset: DatasetName;
  businessDate: string;
  fileName: string;
  /** The run and terminal stage the file was moved from. */
  previousRunId: string;
  previousStage: FileStage;
  /** Contract version the file is validated with in this run. */
  schemaV: number;
  /** The FileLanded event that reopened the file. */
  eventId: string;
  reopenedAt: string;
}

/**
 * A file's state in an earlier run, kept when a rerun moves the file on (`pk FILE#<fileId>`, `sk RUN#<runId>`): the
 * terminal stage, counts, totals and events of that run, which the FILE item no longer holds. No day keys, so
 * `listDay` (and every reader of `files-by-day`) never sees it; the run's DEDUP#<runId> item stays where it was.
 */
export interface FileRunHistoryRecord {
  pk: string;
  sk: `RUN#${string}`;
  fileId: string;
  runId: string;
  partner: string;
  dataset: DatasetName;
  businessDate: string;
  stage: FileStage;
  stageAt: string;
  /** The event that announced the run's last stage (FileValidated or FileRejected). */
  lastEventId: string;
  counts: FileRecord['counts'] | null;
  rejection: FileRecord['rejection'] | null;
  controlTotals: FileRecord['controlTotals'] | null;
  validTotals: FileRecord['validTotals'] | null;
  redrives: number;
  lastRedriveAt: string | null;
  /** Contract version the run validated with, when known (its dedup record says). */
  schemaV: number | null;
  /** The RecordsDeduplicated event of the run's dedup record (`DEDUP#<runId>`), when the file was deduplicated. */
  dedupEventId: string | null;
  /** The run the file was moved to, and when. */
  movedToRunId: string;
  movedAt: string;
}

/** @example runKey('run_…') // { pk: 'RUN#run_…', sk: 'RUN' } */
export const runKey = (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' as const });

/** @example runMemberKey('run_…', 'f_…') // { pk: 'RUN#run_…', sk: 'FILE#f_…' } */
export const runMemberKey = (runId: string, fileId: string) => ({
  pk: `RUN#${runId}`,
  sk: `FILE#${fileId}` as const,
});

/** The `begins_with` prefix of a run's member items. */
export const RUN_MEMBER_PREFIX = 'FILE#';

/** @example fileRunHistoryKey('f_…', 'run_…') // { pk: 'FILE#f_…', sk: 'RUN#run_…' } */
export const fileRunHistoryKey = (fileId: string, runId: string) => ({
  pk: `FILE#${fileId}`,
  sk: `RUN#${runId}` as const,
});

/** The `begins_with` prefix of a file's run history items. */
export const FILE_RUN_HISTORY_PREFIX = 'RUN#';

/**
 * Transaction action that moves a terminal file into a new run and opens it again (stage LANDED, open-files index,
 * a fresh re-drive count), on condition that it is still terminal in the run it was read in. Everything the earlier
 * run recorded on the FILE item is removed here and kept in its `FileRunHistoryRecord` (same transaction), so the
 * new run's facts never mix with the old. `landedAt` stays: cut-off gates evaluate the same landing.
 * @example reopenFileItem('files', { fileId, previousRunId: 'run_a', runId: 'run_b', eventId, at })
 */
export function reopenFileItem(
  table: string,
  input: { fileId: string; previousRunId: string; runId: string; eventId: string; at: string },
): TransactItem {
  if (input.previousRunId === input.runId)
    throw new RangeError(`A file cannot be reopened into the run it is in (${input.runId}).`);
  return {
    Update: {
      TableName: table,
      Key: fileKey(input.fileId),
      UpdateExpression:
        'SET runId = :runId, stage = :landed, stageAt = :at, lastEventId = :eventId, openShard = :open, ' +
        'openSince = :at, redrives = :zero REMOVE #counts, rejection, controlTotals, validTotals, lastRedriveAt',
      ConditionExpression: 'runId = :previousRunId AND stage IN (:validated, :rejected)',
      ExpressionAttributeNames: { '#counts': 'counts' },
      ExpressionAttributeValues: {
        ':runId': input.runId,
        ':landed': 'LANDED',
        ':at': input.at,
        ':eventId': input.eventId,
        ':open': 'OPEN',
        ':zero': 0,
        ':previousRunId': input.previousRunId,
        ':validated': 'VALIDATED',
        ':rejected': 'REJECTED',
      },
    },
  };
}
