import type { DatasetName } from '../../config/partners.ts';
import { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import { fileRunHistoryKey, runMemberKey } from '../../lib/file-registry/run-record.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import type { ReopenCommit } from './ports.ts';

/** The envelope `producer` (and EventBridge source `finledger.rerun`) of the FileLanded events a rerun commits. */
export const RERUN_PRODUCER = 'rerun';

/** Which file a decision is about. */
export interface FileRef {
  readonly fileId: string;
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly fileName: string;
}

/** Why a file of the range was not moved into the run. */
export type SkipCode =
  | 'OPEN_IN_ANOTHER_RUN'
  | 'MOVED_ON'
  | 'RAW_SNAPSHOT_MISSING'
  | 'CONTRACT_VERSION_UNKNOWN'
  | 'FILE_CHANGED';

export interface SkippedFile extends FileRef {
  readonly code: SkipCode;
  /** Operator-facing: what is in the way and what to do next. */
  readonly reason: string;
}

export interface ReopenedFile extends FileRef {
  readonly previousRunId: string;
  readonly previousStage: FileRecord['stage'];
  readonly schemaV: number;
  readonly eventId: string;
}

/** What to do with one file of the range, before anything is read from S3 or written. */
export type OpeningDecision =
  | { readonly kind: 'candidate' }
  | { readonly kind: 'already-in-run' }
  | { readonly kind: 'skip'; readonly skipped: SkippedFile };

export const fileRefOf = (file: FileRecord): FileRef => ({
  fileId: file.fileId,
  partner: file.partner,
  dataset: file.dataset,
  businessDate: file.businessDate,
  fileName: file.fileName,
});

const describe = (file: FileRecord) =>
  `File ${file.fileId} (${file.partner} ${file.dataset} ${file.businessDate}, ${file.fileName})`;

const skipped = (file: FileRecord, code: SkipCode, reason: string): SkippedFile => ({
  ...fileRefOf(file),
  code,
  reason,
});

const skip = (file: FileRecord, code: SkipCode, reason: string): OpeningDecision => ({
  kind: 'skip',
  skipped: skipped(file, code, reason),
});

/**
 * Whether a file (read strongly consistent) can move into the run.
 *
 * 1. Already in this run (a retried or resumed pass): nothing to do, not a refusal.
 * 2. In this run before and moved on to a later run since: left where it is.
 * 3. Still open (LANDED) in another run: refused, so two runs never race over one file.
 * 4. Terminal (VALIDATED or REJECTED) in another run: a candidate.
 * @example openingDecision(file, 'run_…', false) // { kind: 'candidate' }
 */
export function openingDecision(file: FileRecord, runId: string, wasMember: boolean): OpeningDecision {
  if (file.runId === runId) return { kind: 'already-in-run' };
  if (wasMember)
    return skip(
      file,
      'MOVED_ON',
      `${describe(file)} was rerun by ${runId} already and has moved on to run ${file.runId} since; it is left there. Start a new rerun to run it again.`,
    );
  if (file.stage === 'LANDED')
    return skip(
      file,
      'OPEN_IN_ANOTHER_RUN',
      `${describe(file)} is still open in run ${file.runId} (LANDED since ${file.openSince ?? file.stageAt}); rerunning it now would race that run. Wait until it is VALIDATED or REJECTED (\`finledger status\`; if it stays open past its SLA, check \`finledger dlq list\`), then resume with --run-id ${runId}.`,
    );
  return { kind: 'candidate' };
}

/** A candidate whose raw snapshot is gone: it cannot be rerun from raw, and its run stands. */
export function rawSnapshotMissing(file: FileRecord): SkippedFile {
  return skipped(
    file,
    'RAW_SNAPSHOT_MISSING',
    `${describe(file)}: its raw snapshot s3://${file.raw.bucket}/${file.raw.key} is gone (copies holding card numbers are deletable), so it cannot be rerun from raw; run ${file.runId} stands. Ask ${file.partner} to re-deliver the file and land it again.`,
  );
}

/** The transaction refused the move because the file changed after it was read. */
export function fileChanged(file: FileRecord, runId: string): SkippedFile {
  return skipped(
    file,
    'FILE_CHANGED',
    `${describe(file)} changed while the rerun read it (it was ${file.stage} in run ${file.runId}). Resume with --run-id ${runId} to pick it up.`,
  );
}

/**
 * The contract version to validate with: the one the file's current run validated with (its dedup record), so a
 * rerun reproduces it; else the one its partner declares now (what landing would use); else none (skipped).
 * @example schemaVersionFor(file, listing.dedupRuns, 1) // 1
 */
export function schemaVersionFor(
  file: FileRecord,
  dedupRuns: readonly DedupRunRecord[],
  declared: number | undefined,
  runId: string,
): number | SkippedFile {
  const recorded = dedupRunOf(file, dedupRuns)?.schemaV;
  if (recorded !== undefined) return recorded;
  if (declared !== undefined) return declared;
  return skipped(
    file,
    'CONTRACT_VERSION_UNKNOWN',
    `${describe(file)}: ${file.partner} no longer declares ${file.dataset} in config/partners.ts and no dedup record of run ${file.runId} says which contract version validated it. Declare the dataset (reviewed change), then resume with --run-id ${runId}.`,
  );
}

/** The latest dedup record of the file's current run, if it was deduplicated. */
export function dedupRunOf(
  file: FileRecord,
  dedupRuns: readonly DedupRunRecord[],
): DedupRunRecord | undefined {
  return dedupRuns
    .filter((run) => run.fileId === file.fileId && run.runId === file.runId)
    .reduce<DedupRunRecord | undefined>(
      (latest, run) => (!latest || run.committedAt > latest.committedAt ? run : latest),
      undefined,
    );
}

/**
 * Everything one file's move commits: FileLanded v1 for the new run pointing at the same raw snapshot (same fileId,
 * sha256, sizes, landing key, card-data flag, supersession), the history of the run it leaves, and its membership.
 * @example reopenCommitOf(file, { runId, schemaV: 1, eventId, at: now, dedupRun })
 */
export function reopenCommitOf(
  file: FileRecord,
  input: {
    readonly runId: string;
    readonly schemaV: number;
    readonly eventId: string;
    readonly at: string;
    readonly dedupRun: DedupRunRecord | undefined;
  },
): ReopenCommit {
  const event = createEvent(
    FileLandedV1,
    {
      producer: RERUN_PRODUCER,
      correlationId: file.fileId,
      causationId: `rerun:${input.runId}`,
      runId: input.runId,
      eventId: input.eventId,
      occurredAt: input.at,
    },
    {
      fileId: file.fileId,
      sha256: file.sha256,
      sizeBytes: file.sizeBytes,
      lineCount: file.lineCount,
      partner: file.partner,
      dataset: file.dataset,
      businessDate: file.businessDate,
      fileName: file.fileName,
      landing: { bucket: file.landing.bucket, key: file.landing.key },
      raw: { bucket: file.raw.bucket, key: file.raw.key },
      cardDataDetected: file.cardDataDetected,
      supersedesFileId: file.supersedesFileId,
      schemaV: input.schemaV,
    },
  );
  return {
    file,
    event,
    history: {
      ...fileRunHistoryKey(file.fileId, file.runId),
      fileId: file.fileId,
      runId: file.runId,
      partner: file.partner,
      dataset: file.dataset,
      businessDate: file.businessDate,
      stage: file.stage,
      stageAt: file.stageAt,
      lastEventId: file.lastEventId,
      counts: file.counts ?? null,
      rejection: file.rejection ?? null,
      controlTotals: file.controlTotals ?? null,
      validTotals: file.validTotals ?? null,
      redrives: file.redrives,
      lastRedriveAt: file.lastRedriveAt ?? null,
      schemaV: input.dedupRun?.schemaV ?? null,
      dedupEventId: input.dedupRun?.eventId ?? null,
      movedToRunId: input.runId,
      movedAt: input.at,
    },
    member: {
      ...runMemberKey(input.runId, file.fileId),
      runId: input.runId,
      fileId: file.fileId,
      partner: file.partner,
      dataset: file.dataset,
      businessDate: file.businessDate,
      fileName: file.fileName,
      previousRunId: file.runId,
      previousStage: file.stage,
      schemaV: input.schemaV,
      eventId: event.eventId,
      reopenedAt: input.at,
    },
  };
}

/** The reopened file as the outcome reports it. */
export const reopenedFileOf = (commit: ReopenCommit): ReopenedFile => ({
  ...fileRefOf(commit.file),
  previousRunId: commit.member.previousRunId,
  previousStage: commit.member.previousStage,
  schemaV: commit.member.schemaV,
  eventId: commit.event.eventId,
});
