import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { ConflictEntry, DedupScope, DuplicateEntry } from '../../services/dedup/dedup-outputs.ts';
import type { KeyRecord, RowLineage } from '../../services/dedup/ports.ts';

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

/** Everything the adapter found about one natural key; no I/O past this point. */
export interface LineageFacts {
  readonly query: LineageQuery;
  readonly key: string;
  readonly keyRecord: Pick<KeyRecord, 'fingerprint' | 'fingerprintVersion' | 'owner'> | null;
  readonly ownerFile: OwnerFileFact | null;
  /** The owner's row in the validated (schema-validate) silver parts of its run. */
  readonly validatedRow: SilverRowFact | null;
  /** The owner's row in the dedup unique parts of its run. */
  readonly uniqueRow: SilverRowFact | null;
  /** Dedup quarantine entries (duplicates and conflicts) whose key is this key. */
  readonly entries: readonly (DuplicateEntry | ConflictEntry)[];
  /** Objects under the owner date's gold partition, and the row of this key in them, if any. */
  readonly gold: { readonly objects: number; readonly row: { part: ObjectRef; columns: object } | null };
}

/** Another occurrence of the key that did not become the kept row. */
export interface Occurrence {
  readonly outcome: 'duplicate' | 'conflict';
  readonly scope: DedupScope;
  readonly row: RowLineage;
  readonly fingerprint: string;
  /** The row it copies (duplicate) or the other version it disagrees with (conflict). */
  readonly against: RowLineage;
  /** The row's business columns (conflicts only: the version that was not kept). */
  readonly record: Readonly<Record<string, unknown>> | null;
}

/** What the `lineage` command shows: raw file → validated silver row → dedup outcome → gold. */
export interface LineageReport {
  readonly dataset: DatasetName;
  readonly partner: string;
  readonly id: string;
  readonly key: string;
  /** `unique`: a version is kept; `conflicted`: every version was quarantined, none kept. */
  readonly status: 'unique' | 'conflicted';
  readonly owner: {
    readonly lineage: RowLineage;
    readonly fingerprint: string;
    readonly fingerprintVersion: number;
  } | null;
  readonly raw: OwnerFileFact | null;
  readonly silver: SilverRowFact | null;
  readonly unique: { readonly part: ObjectRef } | null;
  readonly occurrences: readonly Occurrence[];
  readonly gold:
    | { readonly state: 'present'; readonly part: ObjectRef; readonly row: object }
    | {
        readonly state: 'absent';
        readonly reason: string;
      };
  /** Facts that disagree with each other (a lineage break to look into). */
  readonly warnings: readonly string[];
}

export type TraceResult =
  | { readonly found: true; readonly report: LineageReport }
  | { readonly found: false; readonly message: string };

/**
 * Assemble the lineage report of one natural key from plain facts.
 * 1. No owner and no quarantine entry: unknown record.
 * 2. The owner (dedup key) points to a file, a run and a row; the silver rows must carry the same lineage.
 * 3. Every duplicate or conflict entry of the key is listed with both lineages, in file then row order.
 * 4. Gold is present only when a gold row of the key was found.
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
      silver: facts.validatedRow,
      unique: facts.uniqueRow ? { part: facts.uniqueRow.part } : null,
      occurrences: facts.entries.map(occurrenceOf).sort(byRowLineage),
      gold: facts.gold.row
        ? { state: 'present', part: facts.gold.row.part, row: facts.gold.row.columns }
        : {
            state: 'absent',
            reason:
              facts.gold.objects === 0
                ? 'not in gold yet: no gold partition for the business date'
                : 'not in gold yet: the partition has no row for this key',
          },
      warnings: owner ? warningsOf(owner, facts) : [],
    },
  };
}

function occurrenceOf(entry: DuplicateEntry | ConflictEntry): Occurrence {
  if (entry.kind === 'duplicate') {
    return {
      outcome: 'duplicate',
      scope: entry.scope,
      row: entry.row,
      fingerprint: entry.fingerprint,
      against: entry.of,
      record: null,
    };
  }
  const { fingerprint, ...row } = entry.row;
  return {
    outcome: 'conflict',
    scope: entry.scope,
    row,
    fingerprint,
    against: entry.other,
    record: entry.record,
  };
}

const byRowLineage = (a: Occurrence, b: Occurrence): number =>
  a.row.businessDate.localeCompare(b.row.businessDate) ||
  a.row.fileId.localeCompare(b.row.fileId) ||
  a.row.rowNumber - b.row.rowNumber;

/** Lineage breaks: the registry, the silver rows and the key store must name the same file, run and row. */
function warningsOf(owner: RowLineage, facts: LineageFacts): string[] {
  const warnings: string[] = [];
  const file = facts.ownerFile;
  if (!file) warnings.push(`owner file ${owner.fileId} is not in the file registry`);
  else if (file.sha256 !== owner.sha256)
    warnings.push(`owner sha256 ${owner.sha256} differs from the registry's ${file.sha256}`);
  for (const [name, row] of [
    ['validated silver', facts.validatedRow],
    ['dedup unique', facts.uniqueRow],
  ] as const) {
    if (!row) {
      warnings.push(`no ${name} row ${owner.rowNumber} in run ${owner.runId} of ${owner.fileId}`);
      continue;
    }
    const { lineage } = row;
    if (
      lineage.fileId !== owner.fileId ||
      lineage.rowNumber !== owner.rowNumber ||
      lineage.runId !== owner.runId
    )
      warnings.push(
        `${name} row lineage ${lineage.fileId}:${lineage.rowNumber} (${lineage.runId}) is not the owner's`,
      );
    if (lineage.sha256 !== owner.sha256) warnings.push(`${name} row _file_sha256 differs from the owner's`);
  }
  return warnings;
}
