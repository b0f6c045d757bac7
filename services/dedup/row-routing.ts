import type { SilverValue } from '../../contracts/datasets/dataset-contract.ts';
import type { DedupOutcome } from '../../contracts/events/records-deduplicated.ts';
import type { Candidate, CrossFileVerdict } from './cross-file.ts';
import type { ConflictEntry, DuplicateEntry } from './dedup-outputs.ts';
import type { Run } from './dedup-run.ts';
import { SilverMismatchError } from './errors.ts';
import { type HashedRow, hashRow } from './key-map.ts';
import type { ControlAmount } from './outcome-totals.ts';
import type { RowLineage } from './ports.ts';
import { dedupKeyOf, fingerprintOf, naturalIdOf, recordOf } from './record-identity.ts';

/** One row of the second pass, routed and waiting (with its batch) for the cross-file verdicts. */
export type Routed = (
  | {
      readonly kind: 'candidate';
      readonly candidate: Candidate;
      readonly values: SilverValue[];
      readonly naturalKey: Record<string, string>;
    }
  | { readonly kind: 'duplicate'; readonly entry: DuplicateEntry }
  | { readonly kind: 'conflict'; readonly entry: ConflictEntry }
) & {
  /** Counted in the totals of the outcome the row ends in. */
  readonly amount: ControlAmount;
};

/** Rows routed in file order, with at most `keyBatchSize` candidates: one BatchGetItem + one transaction. */
export interface Segment {
  readonly rows: Routed[];
  candidates: number;
}

/** A segment with the cross-file verdicts of its candidates, in order. */
export interface ClassifiedSegment {
  readonly segment: Segment;
  readonly verdicts: readonly CrossFileVerdict[];
}

export interface KeyedRow {
  readonly key: string;
  readonly naturalId: string;
  readonly fingerprint: string;
  readonly hashed: HashedRow;
}

/** A row's natural key, fingerprint and their hashes for the within-file map. */
export function keyRow(run: Run, values: readonly SilverValue[]): KeyedRow {
  const naturalId = naturalIdOf(run.identity, values);
  const key = dedupKeyOf(run.contract.name, run.input.partner, naturalId);
  const fingerprint = fingerprintOf(run.identity, values);
  return { key, naturalId, fingerprint, hashed: hashRow(key, fingerprint) };
}

/** Lineage of a row of this file. */
export function lineageOf(run: Run, rowNumber: number): RowLineage {
  const { input } = run;
  return {
    fileId: input.fileId,
    runId: input.runId,
    rowNumber,
    businessDate: input.businessDate,
    sha256: input.sha256,
  };
}

/** Decide what the file alone says about a row (step 3 of dedupFile). */
export function routeRow(run: Run, values: SilverValue[], rowNumber: number): Routed {
  const row = keyRow(run, values);
  const sighting = run.keys.get(row.hashed);
  if (!sighting) throw new SilverMismatchError(run.input.fileId, `row ${rowNumber} changed between passes`);
  const naturalKey = naturalKeyOf(run, values);
  const lineage = lineageOf(run, rowNumber);
  const amount = run.amountOf(values, rowNumber);
  if (sighting.conflictRow !== null) {
    const sameAsFirst = row.hashed.fp0 === sighting.fp0 && row.hashed.fp1 === sighting.fp1;
    const otherRow = sameAsFirst ? sighting.conflictRow : sighting.firstRow;
    return {
      kind: 'conflict',
      amount,
      entry: {
        kind: 'conflict',
        scope: 'within-file',
        key: row.key,
        naturalKey,
        row: { ...lineage, fingerprint: row.fingerprint },
        other: { ...lineageOf(run, otherRow), fingerprint: null },
        record: recordOf(run.contract, values),
      },
    };
  }
  if (rowNumber !== sighting.firstRow) {
    return {
      kind: 'duplicate',
      amount,
      entry: {
        kind: 'duplicate',
        scope: 'within-file',
        key: row.key,
        naturalKey,
        fingerprint: row.fingerprint,
        row: lineage,
        of: lineageOf(run, sighting.firstRow),
      },
    };
  }
  return {
    kind: 'candidate',
    candidate: { key: row.key, fingerprint: row.fingerprint, row: lineage },
    values,
    naturalKey,
    amount,
  };
}

function naturalKeyOf(run: Run, values: readonly SilverValue[]): Record<string, string> {
  const fields: Record<string, string> = { partner: run.input.partner };
  run.identity.keyFields.forEach((field, position) => {
    fields[field] = String(values[run.identity.keyIndexes[position] as number] ?? '');
  });
  return fields;
}

/** The outcome a candidate ends in, by its cross-file verdict. */
const OUTCOME_OF: Readonly<Record<CrossFileVerdict['kind'], DedupOutcome>> = {
  unique: 'unique',
  duplicate: 'duplicates',
  conflict: 'conflicts',
};

/** Write one classified segment's rows to their outputs and totals, in file order (step 4 of dedupFile). */
export async function emitSegment(run: Run, resolved: ClassifiedSegment): Promise<void> {
  let next = 0;
  for (const routed of resolved.segment.rows) {
    if (routed.kind === 'duplicate') {
      run.totals.add('duplicates', routed.amount);
      if (run.duplicates.add(routed.entry)) await run.duplicates.flush();
      continue;
    }
    if (routed.kind === 'conflict') {
      run.totals.add('conflicts', routed.amount);
      if (run.conflicts.add(routed.entry)) await run.conflicts.flush();
      continue;
    }
    const verdict = resolved.verdicts[next];
    next += 1;
    const { candidate } = routed;
    if (!verdict) throw new Error('A candidate has no cross-file verdict.');
    run.totals.add(OUTCOME_OF[verdict.kind], routed.amount);
    if (verdict.kind === 'unique') {
      if (run.unique.append(routed.values, candidate.row.rowNumber)) await run.unique.flush();
    } else if (verdict.kind === 'duplicate') {
      const full = run.duplicates.add({
        kind: 'duplicate',
        scope: 'cross-file',
        key: candidate.key,
        naturalKey: routed.naturalKey,
        fingerprint: candidate.fingerprint,
        row: candidate.row,
        of: verdict.owner.owner,
      });
      if (full) await run.duplicates.flush();
    } else {
      const full = run.conflicts.add({
        kind: 'conflict',
        scope: 'cross-file',
        key: candidate.key,
        naturalKey: routed.naturalKey,
        row: { ...candidate.row, fingerprint: candidate.fingerprint },
        other: { ...verdict.owner.owner, fingerprint: verdict.owner.fingerprint },
        record: recordOf(run.contract, routed.values),
      });
      if (full) await run.conflicts.flush();
    }
  }
}
