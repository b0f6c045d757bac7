import { findPartner } from '../../config/partners.ts';
import { mapInFlight } from '../../lib/async/map-in-flight.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { DayFilter } from '../../lib/file-registry/file-registry-store.ts';
import { type RerunRecord, runIdFrom, runKey } from '../../lib/file-registry/run-record.ts';
import { RerunError, RerunInterruptedError, RunNotFoundError, RunScopeMismatchError } from './errors.ts';
import type { RerunPorts } from './ports.ts';
import {
  dedupRunOf,
  type FileRef,
  fileChanged,
  fileRefOf,
  openingDecision,
  type ReopenedFile,
  rawSnapshotMissing,
  reopenCommitOf,
  reopenedFileOf,
  type SkippedFile,
  schemaVersionFor,
} from './rerun-plan.ts';
import { parseRerunRequest, type RerunInput, type RerunRequest, scopeText } from './rerun-request.ts';

/** What one pass of a rerun did. */
export interface RerunOutcome {
  readonly runId: string;
  /** True when `--run-id` resumed a recorded run. */
  readonly resumed: boolean;
  /** The run's record after this pass (member count, passes). */
  readonly run: RerunRecord;
  /** Files moved into the run by this pass, each announced by a FileLanded of the run. */
  readonly reopened: readonly ReopenedFile[];
  /** Files this run had moved before (a resumed or repeated pass): nothing done twice. */
  readonly alreadyInRun: readonly FileRef[];
  /** Files left out, each with the reason and what to do. */
  readonly skipped: readonly SkippedFile[];
  /**
   * False when the pass stopped before looking at every file of the range (`stopWhen`, e.g. the Lambda's remaining
   * time ran low): what it did stands, and resuming with the run id does the rest.
   */
  readonly complete: boolean;
}

export interface RerunOptions {
  /** Files in flight at once (default 8). */
  readonly filesInFlight?: number;
  /** Checked before each file: true stops the pass cleanly (no file is left half-moved; each is one transaction). */
  readonly stopWhen?: () => boolean;
}

/** Transactions in flight at once: one per file, never one for the range (TransactWriteItems holds ≤ 100 actions). */
const FILES_IN_FLIGHT = 8;

type FileResult =
  | { readonly kind: 'reopened'; readonly file: ReopenedFile }
  | { readonly kind: 'already-in-run'; readonly file: FileRef }
  | { readonly kind: 'skipped'; readonly file: SkippedFile };

/**
 * Rerun a business date range from the raw snapshots under a new run id (or resume an interrupted rerun).
 *
 * Primary course:
 * 1. Check the request; record a new run (`RUN#<runId>`), or find the one to resume and check it covers the same
 *    range and filters.
 * 2. For each business date, list its files (`files-by-day`, narrowed by the filters) and read each one strongly
 *    consistent: already in this run → nothing to do; open in another run → refused; gone raw snapshot → skipped.
 * 3. Per file, one transaction: the FILE item moves to the run and opens again (only if still terminal in the run
 *    it was read in), the earlier run's stage, counts and totals are kept as `FILE#<fileId>` / `RUN#<previous>`, the
 *    membership `RUN#<runId>` / `FILE#<fileId>` is put (only once), and FileLanded v1 goes to the outbox. The
 *    pipeline then validates, deduplicates, reconciles and publishes the files again, writing under the new run id
 *    beside the earlier runs.
 * 4. Record the pass on the run: members so far, reopened, already in run, skipped.
 */
export async function startRerun(
  input: RerunInput,
  ports: RerunPorts,
  options: RerunOptions = {},
): Promise<RerunOutcome> {
  const request = parseRerunRequest(input);
  const { run, resumed } = await openRun(request, ports);
  const filter: DayFilter = {
    ...(request.dataset ? { dataset: request.dataset } : {}),
    ...(request.partner ? { partner: request.partner } : {}),
  };
  const stopWhen = options.stopWhen ?? (() => false);
  const results: FileResult[] = [];
  let complete = true;
  try {
    for (const date of request.dates) {
      if (stopWhen()) {
        complete = false;
        break;
      }
      const listing = await ports.listDay(date, filter);
      const day = await mapInFlight(
        listing.files,
        options.filesInFlight ?? FILES_IN_FLIGHT,
        (listed) => rerunFile(listed.fileId, listing.dedupRuns, run.runId, resumed, ports),
        stopWhen,
      );
      results.push(...day.results);
      if (!day.complete) {
        complete = false;
        break;
      }
    }
  } catch (error) {
    throw new RerunInterruptedError(run.runId, { cause: error });
  }
  const reopened: ReopenedFile[] = [];
  const alreadyInRun: FileRef[] = [];
  const skipped: SkippedFile[] = [];
  for (const result of results) {
    if (result.kind === 'reopened') reopened.push(result.file);
    else if (result.kind === 'already-in-run') alreadyInRun.push(result.file);
    else skipped.push(result.file);
  }
  const finished = await ports.finishPass(
    run.runId,
    { reopened: reopened.length, alreadyInRun: alreadyInRun.length, skipped: skipped.length },
    ports.now().toISOString(),
  );
  return { runId: run.runId, resumed, run: finished, reopened, alreadyInRun, skipped, complete };
}

async function openRun(
  request: RerunRequest,
  ports: RerunPorts,
): Promise<{ run: RerunRecord; resumed: boolean }> {
  if (request.runId !== null) {
    const recorded = await ports.getRun(request.runId);
    if (!recorded) throw new RunNotFoundError(request.runId);
    const [was, now] = [scopeText(recorded), scopeText(request)];
    if (was !== now) throw new RunScopeMismatchError(request.runId, was, now);
    return { run: recorded, resumed: true };
  }
  const runId = runIdFrom(ports.newId());
  const run: RerunRecord = {
    ...runKey(runId),
    runId,
    kind: 'rerun',
    from: request.from,
    to: request.to,
    dataset: request.dataset,
    partner: request.partner,
    requestedAt: ports.now().toISOString(),
    requestedBy: request.requestedBy,
    fileCount: 0,
    passes: 0,
    lastPassAt: null,
    lastPass: null,
  };
  if ((await ports.createRun(run)) === 'exists')
    throw new RerunError(`Run id ${runId} is taken; nothing was written. Run the command again.`);
  return { run, resumed: false };
}

/** What a rerun would do with one file, from reads only: nothing is written. */
type FileDecision =
  | Exclude<FileResult, { kind: 'reopened' }>
  | { readonly kind: 'candidate'; readonly file: FileRecord; readonly schemaV: number };

async function decideFile(
  fileId: string,
  dedupRuns: readonly DedupRunRecord[],
  runId: string,
  resumed: boolean,
  ports: RerunPorts,
): Promise<FileDecision> {
  // The day index may lag; decisions and the transaction's condition use the item itself.
  const file = await ports.getFile(fileId);
  if (!file)
    throw new RerunError(`File ${fileId} is listed for its day but has no registry item; run again.`);
  const wasMember = resumed && file.runId !== runId && (await ports.isMember(runId, fileId));
  const decision = openingDecision(file, runId, wasMember);
  if (decision.kind === 'already-in-run') return { kind: 'already-in-run', file: fileRefOf(file) };
  if (decision.kind === 'skip') return { kind: 'skipped', file: decision.skipped };
  if (!(await ports.rawExists(file.raw))) return { kind: 'skipped', file: rawSnapshotMissing(file) };
  const schemaV = schemaVersionFor(file, dedupRuns, declaredSchemaV(file), runId);
  if (typeof schemaV !== 'number') return { kind: 'skipped', file: schemaV };
  return { kind: 'candidate', file, schemaV };
}

async function rerunFile(
  fileId: string,
  dedupRuns: readonly DedupRunRecord[],
  runId: string,
  resumed: boolean,
  ports: RerunPorts,
): Promise<FileResult> {
  const decision = await decideFile(fileId, dedupRuns, runId, resumed, ports);
  if (decision.kind !== 'candidate') return decision;
  const { file, schemaV } = decision;
  const commit = reopenCommitOf(file, {
    runId,
    schemaV,
    eventId: ports.newId(),
    at: ports.now().toISOString(),
    dedupRun: dedupRunOf(file, dedupRuns),
  });
  const result = await ports.reopen(commit);
  if (result === 'reopened') return { kind: 'reopened', file: reopenedFileOf(commit) };
  if (result === 'already-in-run') return { kind: 'already-in-run', file: fileRefOf(file) };
  return { kind: 'skipped', file: fileChanged(file, runId) };
}

/** What `rerun --dry-run` found: the files a rerun of the range would reopen, and why the others would stay. */
export interface RerunPreview {
  readonly from: string;
  readonly to: string;
  readonly dataset: string | null;
  readonly partner: string | null;
  /** The run a resume would continue (`--run-id`), else null: a new run. */
  readonly runId: string | null;
  readonly wouldReopen: readonly (FileRef & { readonly currentRunId: string; readonly schemaV: number })[];
  readonly alreadyInRun: readonly FileRef[];
  readonly skipped: readonly SkippedFile[];
}

/** Stands in for the run id a new run would get, in the reasons of a preview. */
const NEW_RUN = '<new run id>';

/**
 * Preview a rerun from reads only (the registry and raw snapshots exist checks): which files it would reopen, which
 * are already in the run it would resume, which it would skip and why. Nothing is recorded or written; what a real
 * rerun does can still differ if files land or close meanwhile.
 */
export async function previewRerun(input: RerunInput, ports: RerunPorts): Promise<RerunPreview> {
  const request = parseRerunRequest(input);
  const runId = request.runId === null ? NEW_RUN : (await openRun(request, ports)).run.runId;
  const filter: DayFilter = {
    ...(request.dataset ? { dataset: request.dataset } : {}),
    ...(request.partner ? { partner: request.partner } : {}),
  };
  const wouldReopen: RerunPreview['wouldReopen'][number][] = [];
  const alreadyInRun: FileRef[] = [];
  const skipped: SkippedFile[] = [];
  for (const date of request.dates) {
    const listing = await ports.listDay(date, filter);
    const day = await mapInFlight(
      listing.files,
      FILES_IN_FLIGHT,
      (listed) => decideFile(listed.fileId, listing.dedupRuns, runId, request.runId !== null, ports),
      () => false,
    );
    for (const decision of day.results) {
      if (decision.kind === 'candidate')
        wouldReopen.push({
          ...fileRefOf(decision.file),
          currentRunId: decision.file.runId,
          schemaV: decision.schemaV,
        });
      else if (decision.kind === 'already-in-run') alreadyInRun.push(decision.file);
      else skipped.push(decision.file);
    }
  }
  return {
    from: request.from,
    to: request.to,
    dataset: request.dataset,
    partner: request.partner,
    runId: request.runId,
    wouldReopen,
    alreadyInRun,
    skipped,
  };
}

const declaredSchemaV = (file: FileRecord): number | undefined =>
  findPartner(file.partner)?.datasets[file.dataset]?.schemaV;
