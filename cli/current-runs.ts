import { ReconciliationCompletedV1 } from '../contracts/events/catalog.ts';
import type { ReconciliationCompletedPayload } from '../contracts/events/reconciliation-completed.ts';
import {
  parseSettlementsMatched,
  type SettlementsMatchedData,
  SettlementsMatchedV1,
} from '../contracts/events/settlements-matched.ts';
import type { FileRecord } from '../lib/file-registry/file-record.ts';

/**
 * Which reconciliation and match run the report shows, chosen by the facts they read, never by the order in
 * which runs finished: a run delayed by a crash or a redrive may publish after a newer one, so "the last event
 * in the archive" can be a snapshot that missed a file. A run is current when it read every current file of its
 * scope at that file's current run; the scopes without one are what the report flags as incomplete.
 */

type ArchivedEvent = { 'detail-type': string; detail: unknown };

/** A chosen run, and whether it read the current facts (`missed` lists the current files it did not read). */
export interface Chosen<T> {
  readonly run: T;
  readonly current: boolean;
  readonly missed: readonly string[];
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What the choice needs of a registered file. */
export type FileKeys = Pick<
  FileRecord,
  'fileId' | 'partner' | 'dataset' | 'businessDate' | 'stage' | 'runId'
>;

/** The payloads of one event type that `parse` accepts (null: refused), in archive order. */
function payloadsOf<P>(
  events: readonly ArchivedEvent[],
  type: string,
  parse: (detail: unknown) => { data: P } | null,
): P[] {
  return events.flatMap((event) => {
    if (event['detail-type'] !== type) return [];
    const parsed = parse(event.detail);
    return parsed ? [parsed.data] : [];
  });
}

/**
 * Per dataset, business date and partner: the reconciliation whose inputs are exactly the scope's files at their
 * current runs (a validated file at its run id, any other stage as '-', as reconcile records them), else the last
 * archived one, marked not current.
 */
export function currentReconciliations(
  events: readonly ArchivedEvent[],
  files: readonly FileRecord[],
): Chosen<ReconciliationCompletedPayload>[] {
  const parse = (detail: unknown) => {
    const parsed = ReconciliationCompletedV1.schema.safeParse(detail);
    return parsed.success ? parsed.data : null;
  };
  return chooseReconciliations(payloadsOf(events, ReconciliationCompletedV1.type, parse), files);
}

/** The facts a reconciliation read: its scope and each file at the run it read. */
type ReconShape = Pick<ReconciliationCompletedPayload, 'dataset' | 'businessDate' | 'partner'> & {
  readonly inputs: { readonly files: readonly { fileId: string; dedupRunId: string | null }[] };
};

/** `currentReconciliations` over runs in archive order (pure). */
export function chooseReconciliations<T extends ReconShape>(
  runsInArchiveOrder: readonly T[],
  files: readonly FileKeys[],
): Chosen<T>[] {
  const runsByScope = new Map<string, T[]>();
  for (const data of runsInArchiveOrder) {
    const key = `${data.dataset}#${data.businessDate}#${data.partner}`;
    runsByScope.set(key, [...(runsByScope.get(key) ?? []), data]);
  }
  return [...runsByScope.values()].map((runs) => {
    const first = runs[0]!;
    const scopeFiles = files.filter(
      (file) =>
        file.dataset === first.dataset &&
        file.businessDate === first.businessDate &&
        file.partner === first.partner,
    );
    const expected = new Map(
      scopeFiles.map((file) => [file.fileId, file.stage === 'VALIDATED' ? file.runId : '-']),
    );
    const missedBy = (run: T) => {
      const read = new Map(run.inputs.files.map((input) => [input.fileId, input.dedupRunId ?? '-']));
      const missed = [...expected].filter(([fileId, runId]) => read.get(fileId) !== runId).map(([id]) => id);
      const extra = [...read.keys()].filter((fileId) => !expected.has(fileId));
      return [...missed, ...extra].sort(byId);
    };
    return chooseByFacts(runs, missedBy);
  });
}

/**
 * Per partner, a match run as of the partner's latest matched business date: the one that read every current
 * file in its window (validated, deduplicated, at its current run). Several can (a late file of an earlier date
 * makes a new snapshot); the one that read more inputs saw later facts. Else the last archived, not current.
 */
export function currentMatchRuns(
  events: readonly ArchivedEvent[],
  files: readonly FileRecord[],
  deduplicated: ReadonlySet<string>,
): Chosen<SettlementsMatchedData>[] {
  // v1 or v2 (archived events of either version are replayed): v2's results may be a manifest.
  return chooseMatchRuns(
    payloadsOf(events, SettlementsMatchedV1.type, parseSettlementsMatched),
    files,
    deduplicated,
  );
}

/** The facts a match run read: partner, date, window and each file at the run it read. */
type MatchShape = Pick<SettlementsMatchedData, 'partner' | 'businessDate' | 'window'> & {
  readonly inputs: readonly { fileId: string; runId: string }[];
};

/** `currentMatchRuns` over runs in archive order (pure). */
export function chooseMatchRuns<T extends MatchShape>(
  runsInArchiveOrder: readonly T[],
  files: readonly FileKeys[],
  deduplicated: ReadonlySet<string>,
): Chosen<T>[] {
  const byPartner = new Map<string, T[]>();
  for (const data of runsInArchiveOrder) {
    byPartner.set(data.partner, [...(byPartner.get(data.partner) ?? []), data]);
  }
  return [...byPartner.values()].map((runs) => {
    const asOf = runs.reduce((latest, run) => (run.businessDate > latest ? run.businessDate : latest), '');
    const ofDate = runs.filter((run) => run.businessDate === asOf);
    const missedBy = (run: T) =>
      files
        .filter(
          (file) =>
            file.partner === run.partner &&
            file.stage === 'VALIDATED' &&
            deduplicated.has(file.fileId) &&
            file.businessDate >= run.window.from &&
            file.businessDate <= run.window.to &&
            !run.inputs.some((input) => input.fileId === file.fileId && input.runId === file.runId),
        )
        .map((file) => file.fileId)
        .sort(byId);
    return chooseByFacts(ofDate, missedBy, (run) => run.inputs.length);
  });
}

/**
 * The run that missed nothing (of those, the one with the greatest `weight`, then the last archived); else the
 * last archived, with what it missed.
 */
function chooseByFacts<T>(
  runs: readonly T[],
  missedBy: (run: T) => readonly string[],
  weight: (run: T) => number = () => 0,
): Chosen<T> {
  const covering = runs.filter((run) => missedBy(run).length === 0);
  if (covering.length > 0) {
    const run = covering.reduce((best, run) => (weight(run) >= weight(best) ? run : best));
    return { run, current: true, missed: [] };
  }
  const run = runs[runs.length - 1]!;
  return { run, current: false, missed: missedBy(run) };
}
