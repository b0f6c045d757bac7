import type { DatasetName } from '../../config/partners.ts';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import type { ControlTotals } from '../../contracts/events/file-validated.ts';
import { digestId } from '../ids/digest-id.ts';
import type { TransactItem } from '../outbox/transaction.ts';
import type { DayKeys } from './day-index.ts';

/** Where a file is in its lifecycle. LANDED is open; VALIDATED and REJECTED are terminal for issue-2 stages. */
export type FileStage = 'LANDED' | 'VALIDATED' | 'REJECTED';
export const TERMINAL_STAGES: readonly FileStage[] = ['VALIDATED', 'REJECTED'];

/**
 * The file registry row, one per distinct content (sha256). Its `day` and `daySort` (`fileDayKeys`) list it under
 * its business date in `files-by-day`.
 */
export interface FileRecord extends DayKeys {
  pk: string;
  sk: 'FILE';
  fileId: string;
  sha256: string;
  partner: string;
  dataset: DatasetName;
  businessDate: string;
  fileName: string;
  landing: ObjectRef;
  raw: ObjectRef;
  sizeBytes: number;
  lineCount: number;
  cardDataDetected: boolean;
  supersedesFileId: string | null;
  landedAt: string;
  runId: string;
  stage: FileStage;
  stageAt: string;
  /** The outbox event that announced the last committed stage (what the watchdog re-drives). */
  lastEventId: string;
  /** Present only while the file is open, so the sparse `open-files` index lists just open work. */
  openShard?: 'OPEN';
  openSince?: string;
  /** Times the same bytes were delivered again after the first landing. */
  redeliveries: number;
  /** Times the watchdog re-drove this file. */
  redrives: number;
  /** When the watchdog last re-drove it (set with `redrives`, cleared when a rerun reopens the file). */
  lastRedriveAt?: string;
  counts?: { rowsIn: number; valid: number; quarantined: number };
  rejection?: { code: string; reason: string };
  /** Set when validation closed the file as VALIDATED: declared (trailer) and computed over all rows. */
  controlTotals?: { declared: ControlTotals | null; computed: ControlTotals };
  /** Computed over the valid rows only (FileValidated's `validTotals`); what reconcile compares dedup with. */
  validTotals?: ControlTotals;
}

/** The control totals FileValidated announced, kept on the file record for reconcile. */
export type StageTotals = Required<Pick<FileRecord, 'controlTotals' | 'validTotals'>>;

/** Latest content seen under one landing key (to flag "same name, new bytes"). */
export interface LandingKeyRecord {
  pk: string;
  sk: 'LATEST';
  fileId: string;
  sha256: string;
  seenAt: string;
  /** S3 ETag of those bytes (no quotes), as a notification names them; absent on records written before it. */
  etag?: string;
}

export const fileKey = (fileId: string) => ({ pk: `FILE#${fileId}`, sk: 'FILE' as const });
export const landingKeyKey = (bucket: string, key: string) => ({
  pk: `KEY#${bucket}/${key}`,
  sk: 'LATEST' as const,
});

/**
 * fileId from the delivery's identity: partner, dataset, business date and content hash. The same bytes
 * delivered again for that partner, dataset and date are one file, whatever the file name; identical
 * bytes for another date (a header-only "no activity" file, say) are a file of that date.
 * @example fileIdOf({ partner: 'acme-bank', dataset: 'transactions', businessDate: '2026-11-20', sha256 })
 */
export function fileIdOf(identity: {
  partner: string;
  dataset: string;
  businessDate: string;
  sha256: string;
}): string {
  return digestId(
    'f',
    `${identity.partner}\n${identity.dataset}\n${identity.businessDate}\n${identity.sha256}`,
  );
}

/** Transaction actions that move an open file to a terminal stage, once, for its current run. */
export function completeStageItem(
  table: string,
  input: {
    fileId: string;
    runId: string;
    stage: Exclude<FileStage, 'LANDED'>;
    eventId: string;
    at: string;
    counts: FileRecord['counts'];
    rejection?: FileRecord['rejection'];
    /** Written in the same update, so the stage and the facts reconcile reads never disagree. */
    totals?: StageTotals;
  },
): TransactItem {
  const totals = input.totals;
  return {
    Update: {
      TableName: table,
      Key: fileKey(input.fileId),
      UpdateExpression:
        'SET stage = :stage, stageAt = :at, lastEventId = :eventId, #counts = :counts' +
        (input.rejection ? ', rejection = :rejection' : '') +
        (totals ? ', controlTotals = :controlTotals, validTotals = :validTotals' : '') +
        ' REMOVE openShard, openSince',
      // Only the run that owns the file may close it, and only once.
      ConditionExpression: 'stage = :landed AND runId = :runId',
      ExpressionAttributeNames: { '#counts': 'counts' },
      ExpressionAttributeValues: {
        ':stage': input.stage,
        ':at': input.at,
        ':eventId': input.eventId,
        ':counts': input.counts,
        ':landed': 'LANDED',
        ':runId': input.runId,
        ...(input.rejection ? { ':rejection': input.rejection } : {}),
        ...(totals ? { ':controlTotals': totals.controlTotals, ':validTotals': totals.validTotals } : {}),
      },
    },
  };
}
