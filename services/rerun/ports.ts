import type { DatasetName } from '../../config/partners.ts';
import type { EventDetail, ObjectRef } from '../../contracts/events/envelope.ts';
import type { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { DayFilter, DayListing } from '../../lib/file-registry/file-registry-store.ts';
import type {
  FileRunHistoryRecord,
  RerunRecord,
  RunMemberRecord,
} from '../../lib/file-registry/run-record.ts';

export type FileLandedDetail = EventDetail<typeof FileLandedV1>;

/** One file's move into a run: the FILE item's new run, the history of its previous run, membership, FileLanded. */
export interface ReopenCommit {
  readonly file: FileRecord;
  readonly history: FileRunHistoryRecord;
  readonly member: RunMemberRecord;
  readonly event: FileLandedDetail;
}

/**
 * What the one transaction of a reopen found:
 * - `reopened`: FILE item, history, membership and FileLanded are in, together;
 * - `already-in-run`: the file entered this run before (a retry or a resumed pass); nothing written;
 * - `file-changed`: the file is no longer terminal in the run it was read in (closed, reopened or moved meanwhile).
 */
export type ReopenResult = 'reopened' | 'already-in-run' | 'file-changed';

/** What a rerun needs from the world. */
export interface RerunPorts {
  getRun(runId: string): Promise<RerunRecord | undefined>;
  /** Put the run's record unless one exists (`exists`). */
  createRun(run: RerunRecord): Promise<'created' | 'exists'>;
  /** Record the end of a pass: member count and what the pass did. */
  finishPass(runId: string, pass: NonNullable<RerunRecord['lastPass']>, at: string): Promise<RerunRecord>;
  /** A business date's files and dedup runs (the `files-by-day` index: may lag a moment behind). */
  listDay(businessDate: string, filter: DayFilter): Promise<DayListing>;
  /** A file's registry item, strongly consistent. */
  getFile(fileId: string): Promise<FileRecord | undefined>;
  /** True when the file entered this run before (its membership item exists). */
  isMember(runId: string, fileId: string): Promise<boolean>;
  /** Every file moved into the run so far. */
  members(runId: string): Promise<RunMemberRecord[]>;
  /** True when the raw snapshot still exists (restricted copies holding card numbers are deletable). */
  rawExists(raw: ObjectRef): Promise<boolean>;
  reopen(commit: ReopenCommit): Promise<ReopenResult>;
  now(): Date;
  newId(): string;
}

/** One dataset and business date a rerun touched. */
export interface VerdictScope {
  readonly dataset: DatasetName;
  readonly businessDate: string;
}

/** A committed readiness verdict of a scope (ready-publisher's `READY#<dataset>#<date>` items, reduced). */
export interface VerdictItem {
  readonly runId: string;
  readonly verdict: 'READY' | 'BLOCKED';
  readonly committedAt: string;
  readonly contentHash: string | null;
  readonly failedGates: readonly string[];
}

/** What reporting a rerun's readiness needs: ready-publisher's verdicts, and the ready run id of today's facts. */
export interface VerdictPorts {
  /** The ready run id ready-publisher derives from the scope's registry facts now (null: no gates declared). */
  currentReadyRunId(scope: VerdictScope): Promise<string | null>;
  /** Every verdict committed for the scope (`READY#<dataset>#<date>` items). */
  verdictItems(scope: VerdictScope): Promise<VerdictItem[]>;
}
