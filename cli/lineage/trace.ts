import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { KeyRecord, RowLineage } from '../../services/dedup/ports.ts';
import type { ReadyPartitionFact, VerdictFact } from './gold-choice.ts';
import { type Occurrence, occurrencesOf, type RecordedEntry } from './occurrences.ts';

export type { Occurrence, OccurrenceRun, RecordedEntry, RowPlace } from './occurrences.ts';

/** Which record to trace: the natural key as the dedup store spells it. */
export interface LineageQuery {
  readonly dataset: DatasetName;
  readonly partner: string;
  /** The natural id (`transaction_id`, `settlement_id`). */
  readonly id: string;
}

/** The lineage columns every silver row carries. */
export interface SilverLineage {
  readonly fileId: string;
  readonly sha256: string;
  readonly rowNumber: number;
  readonly runId: string;
  readonly schemaV: number;
}

/** One silver row as read back: where it is, its dataset columns (JSON-safe) and its lineage columns. */
export interface SilverRowFact {
  readonly part: ObjectRef;
  readonly columns: Readonly<Record<string, unknown>>;
  readonly lineage: SilverLineage;
}

/** The owner's registry row, as far as lineage needs it. */
export type OwnerFileFact = Pick<
  FileRecord,
  | 'fileId'
  | 'partner'
  | 'dataset'
  | 'businessDate'
  | 'fileName'
  | 'sha256'
  | 'landing'
  | 'raw'
  | 'landedAt'
  | 'stage'
  | 'runId'
>;

/** Gold of the owner's business date. */
export interface GoldFacts {
  /** Objects under the date's gold prefix, every run, complete or not. */
  readonly objects: number;
  /** The partition of the latest READY (`latestReadyOf`), if any partition is complete. */
  readonly ready: ReadyPartitionFact | null;
  /** The key's row in that partition. */
  readonly row: { readonly part: ObjectRef; readonly columns: Readonly<Record<string, unknown>> } | null;
  /** The latest verdict committed for the dataset and date (`latestVerdictOf`). */
  readonly latestVerdict: VerdictFact | null;
}

/** Everything the adapter found about one natural key; no I/O past this point. */
export interface LineageFacts {
  readonly query: LineageQuery;
  readonly key: string;
  readonly keyRecord: Pick<KeyRecord, 'fingerprint' | 'fingerprintVersion' | 'owner'> | null;
  readonly ownerFile: OwnerFileFact | null;
  /** The owner's row in the validated (schema-validate) silver parts of run `rowsRunOf(owner, ownerFile)`. */
  readonly validatedRow: SilverRowFact | null;
  /** The owner's row in the dedup unique parts of the same run. */
  readonly uniqueRow: SilverRowFact | null;
  /** Dedup quarantine entries (duplicates and conflicts) whose key is this key, with the run that wrote each. */
  readonly entries: readonly RecordedEntry[];
  readonly gold: GoldFacts;
}

/** Where the key is in gold: the row in the latest READY partition of the owner's date, or why not. */
export type GoldReport =
  | {
      readonly state: 'present';
      readonly readyRunId: string;
      readonly readyAt: string;
      readonly part: ObjectRef;
      readonly row: object;
      readonly latestVerdict: VerdictFact | null;
    }
  | {
      readonly state: 'absent';
      readonly reason: string;
      readonly readyRunId: string | null;
      readonly latestVerdict: VerdictFact | null;
    };

/** What the `lineage` command shows: raw file → validated silver row → dedup outcome → gold. */
export interface LineageReport {
  readonly dataset: DatasetName;
  readonly partner: string;
  readonly id: string;
  readonly key: string;
  /** `unique`: a version is kept; `conflicted`: every version was quarantined, none kept. */
  readonly status: 'unique' | 'conflicted';
  /** The key's owner: the row that first kept it (the key keeps its first owner's run, reruns included). */
  readonly owner: {
    readonly lineage: RowLineage;
    readonly fingerprint: string;
    readonly fingerprintVersion: number;
  } | null;
  readonly raw: OwnerFileFact | null;
  /** The run whose silver and unique rows are shown: the file's current run once validated there. */
  readonly silverRunId: string | null;
  readonly silver: SilverRowFact | null;
  readonly unique: { readonly part: ObjectRef } | null;
  readonly occurrences: readonly Occurrence[];
  readonly gold: GoldReport;
  /** Facts that disagree with each other (a lineage break to look into). */
  readonly warnings: readonly string[];
}

export type TraceResult =
  | { readonly found: true; readonly report: LineageReport }
  | { readonly found: false; readonly message: string };

/**
 * The run whose silver rows show the owner: the file's current run when the file is VALIDATED there (a rerun
 * moves the file to a new run and re-validates it, while the key keeps the run that first kept it), else the
 * owner's run (the file is open again, rejected, or unknown).
 * @example rowsRunOf(owner, { ...file, runId: 'run_b', stage: 'VALIDATED' }) // 'run_b'
 */
export function rowsRunOf(
  owner: RowLineage,
  file: Pick<OwnerFileFact, 'fileId' | 'stage' | 'runId'> | null,
): string {
  return file?.fileId === owner.fileId && file.stage === 'VALIDATED' ? file.runId : owner.runId;
}

/**
 * Assemble the lineage report of one natural key from plain facts.
 * 1. No owner and no quarantine entry: unknown record.
 * 2. The owner (dedup key) points to a file, a run and a row; the silver rows shown are of the file's current run
 *    (`rowsRunOf`) and must carry the owner's file, row and sha256.
 * 3. Every duplicate or conflict of the key is listed once with the runs that recorded it, in date, file and row order.
 * 4. Gold is the row in the latest READY partition of the owner's date, with the latest verdict beside it.
 * @example const result = traceRecord(facts); if (!result.found) console.error(result.message)
 */
export function traceRecord(facts: LineageFacts): TraceResult {
  const { query, keyRecord } = facts;
  if (!keyRecord && facts.entries.length === 0) {
    return {
      found: false,
      message: `no record ${query.id} for partner ${query.partner} in ${query.dataset}: check the id, or whether the file was landed`,
    };
  }
  const owner = keyRecord?.owner ?? null;
  return {
    found: true,
    report: {
      dataset: query.dataset,
      partner: query.partner,
      id: query.id,
      key: facts.key,
      status: keyRecord ? 'unique' : 'conflicted',
      owner: keyRecord
        ? {
            lineage: keyRecord.owner,
            fingerprint: keyRecord.fingerprint,
            fingerprintVersion: keyRecord.fingerprintVersion,
          }
        : null,
      raw: facts.ownerFile,
      silverRunId: owner ? rowsRunOf(owner, facts.ownerFile) : null,
      silver: facts.validatedRow,
      unique: facts.uniqueRow ? { part: facts.uniqueRow.part } : null,
      occurrences: occurrencesOf(query.dataset, facts.entries),
      gold: goldOf(facts.gold, owner !== null),
      warnings: owner ? warningsOf(owner, facts) : [],
    },
  };
}

function goldOf(gold: GoldFacts, kept: boolean): GoldReport {
  const { ready, row, latestVerdict } = gold;
  if (ready && row)
    return {
      state: 'present',
      readyRunId: ready.runId,
      readyAt: ready.createdAt,
      part: row.part,
      row: row.columns,
      latestVerdict,
    };
  const reason = !kept
    ? 'not in gold: no version of this key was kept'
    : gold.objects === 0
      ? 'not in gold yet: no gold partition for the business date'
      : !ready
        ? 'not in gold yet: no complete gold partition (with _READY.json) for the business date'
        : `not in gold: the latest READY partition (ready run ${ready.runId}) has no row for this key`;
  return { state: 'absent', reason, readyRunId: ready?.runId ?? null, latestVerdict };
}

/**
 * Lineage breaks: the registry, the silver rows and the key store must name the same file, row and sha256, and
 * the rows must be of the run `rowsRunOf` chose (the owner's run, or the file's current run after a rerun).
 */
export function warningsOf(owner: RowLineage, facts: LineageFacts): string[] {
  const warnings: string[] = [];
  const file = facts.ownerFile;
  const runId = rowsRunOf(owner, file);
  if (!file) warnings.push(`owner file ${owner.fileId} is not in the file registry`);
  else if (file.sha256 !== owner.sha256)
    warnings.push(`owner sha256 ${owner.sha256} differs from the registry's ${file.sha256}`);
  else if (file.stage === 'REJECTED')
    warnings.push(
      `owner file ${owner.fileId} was REJECTED in its current run ${file.runId}: the key's row is not in its current silver`,
    );
  for (const [name, row] of [
    ['validated silver', facts.validatedRow],
    ['dedup unique', facts.uniqueRow],
  ] as const) {
    if (!row) {
      warnings.push(`no ${name} row ${owner.rowNumber} in run ${runId} of ${owner.fileId}`);
      continue;
    }
    const { lineage } = row;
    if (lineage.fileId !== owner.fileId || lineage.rowNumber !== owner.rowNumber || lineage.runId !== runId)
      warnings.push(
        `${name} row lineage ${lineage.fileId}:${lineage.rowNumber} (${lineage.runId}) is not the owner's row in run ${runId}`,
      );
    if (lineage.sha256 !== owner.sha256) warnings.push(`${name} row _file_sha256 differs from the owner's`);
  }
  return warnings;
}
