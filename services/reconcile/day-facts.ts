import { RejectionCodeSchema } from '../../contracts/events/file-rejected.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { DayListing } from '../../lib/file-registry/file-registry-store.ts';
import { digestId } from '../../lib/ids/digest-id.ts';
import { ReconcileInputError } from './errors.ts';
import type { ReconcileScope } from './ports.ts';
import type { FileFacts, ReconcileInput } from './reconcile-input.ts';

const NO_ROWS = { rowsIn: 0, valid: 0, quarantined: 0 } as const;

/**
 * The domain's input from a day's registry listing of one scope: each file's latest stage facts, and a
 * reconRunId that changes exactly when those facts do (a new file, a new stage, a new dedup commit).
 *
 * Primary course:
 * 1. Keep the scope's file records; a file replaced under the same landing key is `supersededBy` its successor.
 * 2. A VALIDATED file carries its validation facts (counts, control and valid totals recorded by schema-validate),
 *    a REJECTED file its code, reason and counts; a LANDED file carries neither (the domain reports it).
 * 3. A validated file's dedup facts are those of the dedup run committed for its current validation run.
 * 4. reconRunId hashes, per file in id order, `fileId:stage:runId:dedup event` (`-` when not deduplicated).
 */
export function reconcileInputOf(scope: ReconcileScope, listing: DayListing): ReconcileInput {
  const files = listing.files
    .filter(
      (file) =>
        file.partner === scope.partner &&
        file.dataset === scope.dataset &&
        file.businessDate === scope.businessDate,
    )
    .sort((a, b) => (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0));
  const dedupOf = new Map<string, DedupRunRecord>();
  for (const file of files) {
    const run = latestDedupRun(file, listing.dedupRuns);
    if (run) dedupOf.set(file.fileId, run);
  }
  return {
    ...scope,
    reconRunId: reconRunIdOf(files, dedupOf),
    files: files.map((file) => fileFacts(file, files, dedupOf.get(file.fileId))),
  };
}

function latestDedupRun(file: FileRecord, runs: readonly DedupRunRecord[]): DedupRunRecord | undefined {
  if (file.stage !== 'VALIDATED') return undefined;
  return runs
    .filter((run) => run.fileId === file.fileId && run.runId === file.runId)
    .reduce<DedupRunRecord | undefined>(
      (latest, run) => (!latest || run.committedAt > latest.committedAt ? run : latest),
      undefined,
    );
}

function fileFacts(
  file: FileRecord,
  all: readonly FileRecord[],
  dedup: DedupRunRecord | undefined,
): FileFacts {
  const successor = all
    .filter((other) => other.supersedesFileId === file.fileId)
    .sort((a, b) => (a.landedAt < b.landedAt ? 1 : -1))[0];
  return {
    landed: {
      fileId: file.fileId,
      partner: file.partner,
      dataset: file.dataset,
      businessDate: file.businessDate,
      sizeBytes: file.sizeBytes,
      lineCount: file.lineCount,
      landingRunId: file.runId,
      supersededBy: successor?.fileId ?? null,
    },
    validated: file.stage === 'VALIDATED' ? validatedFacts(file) : null,
    rejected: file.stage === 'REJECTED' ? rejectedFacts(file) : null,
    deduplicated: dedup ? { runId: dedup.runId, counts: dedup.counts, totals: dedup.totals } : null,
  };
}

function validatedFacts(file: FileRecord): NonNullable<FileFacts['validated']> {
  if (!file.counts || !file.controlTotals || !file.validTotals) {
    throw new ReconcileInputError(
      file.fileId,
      'the file is VALIDATED but its record holds no counts or control totals (validated before schema-validate recorded them); redrive its validation',
    );
  }
  return {
    runId: file.runId,
    counts: file.counts,
    controlTotals: file.controlTotals,
    validTotals: file.validTotals,
  };
}

function rejectedFacts(file: FileRecord): NonNullable<FileFacts['rejected']> {
  const code = RejectionCodeSchema.safeParse(file.rejection?.code);
  if (!file.rejection || !code.success) {
    throw new ReconcileInputError(
      file.fileId,
      'the file is REJECTED but its record holds no known rejection code',
    );
  }
  // Rejected before any row was read (at landing): nothing was read, nothing is held back.
  return {
    runId: file.runId,
    code: code.data,
    reason: file.rejection.reason,
    counts: file.counts ?? NO_ROWS,
  };
}

/**
 * Deterministic id of the facts reconciled: the same facts give the same id (a redelivery is absorbed),
 * other facts another one (a reconciliation per change).
 * @example reconRunIdOf(files, dedupOf) // 'recon_3f2a…' (24 hex)
 */
export function reconRunIdOf(
  files: readonly FileRecord[],
  dedupOf: ReadonlyMap<string, DedupRunRecord>,
): string {
  const lines = files
    .map((file) => `${file.fileId}:${file.stage}:${file.runId}:${dedupOf.get(file.fileId)?.eventId ?? '-'}`)
    .sort();
  return digestId('recon', lines.join('\n'));
}
