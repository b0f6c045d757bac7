import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import { FileRejectedV1, FileValidatedV1 } from '../../contracts/events/catalog.ts';
import type { PartsRef } from '../../contracts/events/envelope.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import type { QuarantineFile } from './quarantine-row.ts';

/** Which files to list; every field narrows. */
export interface QuarantineFilter {
  readonly date?: string;
  readonly partner?: string;
  readonly dataset?: DatasetName;
  readonly fileId?: string;
}

/** Where one file's current run put its quarantined rows. */
export interface QuarantineSource {
  readonly file: QuarantineFile;
  readonly schemaV: number | null;
  readonly ref: PartsRef;
}

/** What the listing could not cover, for a note on stderr. */
export interface SourceNotes {
  /** Files still being validated: their rows are not final yet. */
  readonly open: string[];
  /** Closed files whose current run's FileValidated / FileRejected is not in the archive. */
  readonly unannounced: string[];
}

type ArchivedEvent = { 'detail-type': string; detail: unknown };

/**
 * The registered files the filter selects, in business date, dataset, partner, file id order: one registry read
 * by key for `--file`, the `files-by-day` index for `--date`, else every file.
 */
export async function selectFiles(
  registry: FileRegistryStore,
  filter: QuarantineFilter,
): Promise<FileRecord[]> {
  let files: FileRecord[];
  if (filter.fileId !== undefined) {
    const file = await registry.get(filter.fileId);
    files = file ? [file] : [];
  } else if (filter.date !== undefined) {
    const { dataset, partner } = filter;
    files = (
      await registry.listDay(filter.date, {
        ...(dataset !== undefined ? { dataset } : {}),
        ...(partner !== undefined ? { partner } : {}),
      })
    ).files;
  } else {
    files = await registry.listAll();
  }
  const sortKey = (file: FileRecord) => `${file.businessDate}#${file.dataset}#${file.partner}#${file.fileId}`;
  return files
    .filter(
      (file) =>
        (filter.date === undefined || file.businessDate === filter.date) &&
        (filter.partner === undefined || file.partner === filter.partner) &&
        (filter.dataset === undefined || file.dataset === filter.dataset),
    )
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

/**
 * The quarantine of each file's current run (the registry's `runId`), from the last archived FileValidated or
 * schema-validate's FileRejected of that run. A rejected file's rows are those read before it was refused (all of
 * them for QUARANTINE_RATE_EXCEEDED): the partner needs them as much as a validated file's.
 */
export function currentQuarantines(
  files: readonly FileRecord[],
  events: readonly ArchivedEvent[],
): { sources: QuarantineSource[]; notes: SourceNotes } {
  const current = new Map(files.map((file) => [file.fileId, file]));
  const latest = new Map<string, { outcome: string; schemaV: number | null; ref: PartsRef | null }>();
  for (const event of events) {
    const found = closingOf(event);
    const file = found && current.get(found.fileId);
    if (found && file && file.runId === found.runId) latest.set(found.fileId, found);
  }
  const sources: QuarantineSource[] = [];
  const notes: SourceNotes = { open: [], unannounced: [] };
  for (const file of files) {
    if (file.stage === 'LANDED') {
      notes.open.push(file.fileId);
      continue;
    }
    const closing = latest.get(file.fileId);
    if (!closing) {
      notes.unannounced.push(file.fileId);
      continue;
    }
    if (closing.ref === null) continue;
    sources.push({
      file: {
        fileId: file.fileId,
        partner: file.partner,
        dataset: file.dataset,
        businessDate: file.businessDate,
        fileOutcome: closing.outcome,
      },
      schemaV: closing.schemaV,
      ref: closing.ref,
    });
  }
  return { sources, notes };
}

/** The run a FileValidated or schema-validate's FileRejected closed, and where its quarantined rows are. */
function closingOf(event: ArchivedEvent) {
  if (event['detail-type'] === FileValidatedV1.type) {
    const parsed = FileValidatedV1.schema.safeParse(event.detail);
    if (!parsed.success) return null;
    const { runId, data } = parsed.data;
    return { fileId: data.fileId, runId, outcome: 'VALIDATED', schemaV: data.schemaV, ref: data.quarantine };
  }
  if (event['detail-type'] === FileRejectedV1.type) {
    const parsed = FileRejectedV1.schema.safeParse(event.detail);
    // file-landing's rejections point at a quarantined object, not at JSON Lines parts.
    if (!parsed.success || parsed.data.producer !== 'schema-validate' || parsed.data.data.fileId === null)
      return null;
    const { runId, data } = parsed.data;
    return {
      fileId: data.fileId as string,
      runId,
      outcome: `REJECTED ${data.code}`,
      schemaV: data.schemaV,
      ref: data.quarantine,
    };
  }
  return null;
}
