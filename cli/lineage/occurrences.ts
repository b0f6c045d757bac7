import { findDataset } from '../../contracts/datasets/catalog.ts';
import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import type { ConflictEntry, DedupScope, DuplicateEntry } from '../../services/dedup/dedup-outputs.ts';
import type { RowLineage } from '../../services/dedup/ports.ts';
import { silverCells } from './silver-cells.ts';

/** A dedup quarantine entry of the key, with the dedup run that wrote it. */
export interface RecordedEntry {
  readonly entry: DuplicateEntry | ConflictEntry;
  /** When that dedup run committed: orders the runs that recorded one occurrence. */
  readonly recordedAt: string;
  /** Contract version that run validated with: the column types of the quarantined version. */
  readonly schemaV: number;
}

/** Where a row is, whichever run read it: file, row number, business date and file sha256. */
export type RowPlace = Omit<RowLineage, 'runId'>;

/** One run that recorded an occurrence. */
export interface OccurrenceRun {
  readonly runId: string;
  /** Run of the row it was compared with: the key owner's (cross-file), or this run (within a file). */
  readonly againstRunId: string;
  readonly recordedAt: string;
}

/** Another occurrence of the key that did not become the kept row, with every run that recorded it. */
export interface Occurrence {
  readonly outcome: 'duplicate' | 'conflict';
  readonly scope: DedupScope;
  readonly row: RowPlace;
  readonly fingerprint: string;
  /** The row it copies (duplicate) or the other version it disagrees with (conflict, with its fingerprint). */
  readonly against: RowPlace & { readonly fingerprint?: string | null };
  /** The row's business columns formatted like silver (conflicts only: the version that was not kept). */
  readonly record: Readonly<Record<string, unknown>> | null;
  /** Oldest first: each rerun of the file records the same occurrence again under its own run. */
  readonly runs: readonly OccurrenceRun[];
}

const placeOf = ({ runId: _, ...place }: RowLineage): RowPlace => place;

/** What identifies an occurrence across runs: everything but the run ids. */
function identityOf({ entry }: RecordedEntry): string {
  const other = entry.kind === 'duplicate' ? entry.of : entry.other;
  return JSON.stringify([
    entry.kind,
    entry.scope,
    entry.key,
    entry.row.fileId,
    entry.row.rowNumber,
    entry.row.businessDate,
    entry.row.sha256,
    entry.kind === 'duplicate' ? entry.fingerprint : entry.row.fingerprint,
    other.fileId,
    other.rowNumber,
    other.businessDate,
    other.sha256,
    entry.kind === 'conflict' ? entry.other.fingerprint : null,
    entry.kind === 'conflict' ? entry.record : null,
  ]);
}

function occurrenceOf(dataset: DatasetName, { entry, schemaV }: RecordedEntry): Omit<Occurrence, 'runs'> {
  if (entry.kind === 'duplicate') {
    return {
      outcome: 'duplicate',
      scope: entry.scope,
      row: placeOf(entry.row),
      fingerprint: entry.fingerprint,
      against: placeOf(entry.of),
      record: null,
    };
  }
  const { fingerprint, ...row } = entry.row;
  const { fingerprint: otherFingerprint, ...other } = entry.other;
  const columns = findDataset(dataset, schemaV)?.silverColumns ?? [];
  return {
    outcome: 'conflict',
    scope: entry.scope,
    row: placeOf(row),
    fingerprint,
    against: { ...placeOf(other), fingerprint: otherFingerprint },
    record: silverCells(columns, entry.record),
  };
}

const runOf = ({ entry, recordedAt }: RecordedEntry): OccurrenceRun => ({
  runId: entry.row.runId,
  againstRunId: entry.kind === 'duplicate' ? entry.of.runId : entry.other.runId,
  recordedAt,
});

const byRecording = (a: OccurrenceRun, b: OccurrenceRun): number =>
  a.recordedAt.localeCompare(b.recordedAt) || a.runId.localeCompare(b.runId);

const byPlace = (a: Occurrence, b: Occurrence): number =>
  a.row.businessDate.localeCompare(b.row.businessDate) ||
  a.row.fileId.localeCompare(b.row.fileId) ||
  a.row.rowNumber - b.row.rowNumber ||
  a.outcome.localeCompare(b.outcome);

/**
 * The key's duplicates and conflicts, each listed once with every run that recorded it (the same row of the same
 * file against the same other row), in date, file and row order; the quarantined version is formatted by the
 * contract's silver column types, as the silver row is.
 * @example occurrencesOf('transactions', entries)[0]?.runs.map((run) => run.runId) // ['run_a', 'run_b']
 */
export function occurrencesOf(dataset: DatasetName, entries: readonly RecordedEntry[]): Occurrence[] {
  const groups = new Map<string, { occurrence: Omit<Occurrence, 'runs'>; runs: OccurrenceRun[] }>();
  for (const recorded of entries) {
    const identity = identityOf(recorded);
    const group = groups.get(identity);
    const run = runOf(recorded);
    if (!group) groups.set(identity, { occurrence: occurrenceOf(dataset, recorded), runs: [run] });
    else if (!group.runs.some((known) => known.runId === run.runId)) group.runs.push(run);
  }
  return [...groups.values()]
    .map(({ occurrence, runs }) => ({ ...occurrence, runs: runs.sort(byRecording) }))
    .sort(byPlace);
}
