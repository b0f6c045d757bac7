import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { DayListing } from '../../lib/file-registry/file-registry-store.ts';
import { digestId } from '../../lib/ids/digest-id.ts';
import type { MatchFact, ReadyFacts, ReconciliationFact } from './gate-facts.ts';
import type { MatchRun, ReadyScope, ReconRun } from './ports.ts';

/** The gates' facts of a day, the dedup runs gold reads, and the run id those facts define. */
export interface DayFacts {
  readonly facts: ReadyFacts;
  /** The latest dedup run of each validated file (its unique parts are the curated rows). */
  readonly uniqueRuns: readonly DedupRunRecord[];
  /** `ready_<24 hex>`: equal for equal facts (a replay), different for any new fact. */
  readonly runId: string;
  /**
   * Facts a stage already on its way will bring (a file not yet validated or deduplicated, a reconciliation or
   * settlement match not yet over the current files), each a short reason; empty when the day has settled.
   */
  readonly pending: readonly string[];
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The readiness facts of a dataset and business date from the file registry.
 *
 * Primary course:
 * 1. Files of the scope; each validated file's dedup facts are its latest run for its current validation run.
 * 2. Per partner: quarantine (summed over validated files), open conflicts (summed over their dedup runs).
 * 3. Per partner, the reconciliation covering exactly the current files (the latest such; else the latest one,
 *    which the gate then reports as stale). Its curated totals are the unique totals of the dedup runs it names.
 * 4. Transactions only: the latest match run per partner. Eligible are the transactions that should have a
 *    counterpart by now: matched, mismatched, or open past the partner's settlement wait (aged).
 * 5. The run id hashes every fact used, so a replay gives the same id and a new fact a new one.
 */
export function readyFactsOf(
  scope: ReadyScope,
  listing: DayListing,
  recons: ReadonlyMap<string, readonly ReconRun[]>,
  matches: ReadonlyMap<string, readonly MatchRun[]>,
  /** Transactions scopes: the day's settlements files, which a current match run must have read as well. */
  counterpartFiles: readonly FileRecord[] = [],
): DayFacts {
  const files = listing.files
    .filter((file) => file.dataset === scope.dataset && file.businessDate === scope.businessDate)
    .sort((a, b) => byId(a.fileId, b.fileId));
  const uniqueRuns = files.flatMap((file) => latestDedupRun(file, listing.dedupRuns) ?? []);
  const partners = [
    ...new Set([...files.map((file) => file.partner), ...recons.keys(), ...matches.keys()]),
  ].sort(byId);
  const reconciliations = partners.flatMap((partner) => {
    const chosen = currentRecon(
      recons.get(partner) ?? [],
      files.filter((file) => file.partner === partner),
    );
    return chosen ? [reconciliationFact(chosen, listing.dedupRuns)] : [];
  });
  const matchFacts =
    scope.dataset === 'transactions'
      ? partners.flatMap((partner) => {
          const current = [...files, ...counterpartFiles].filter(
            (file) => file.partner === partner && file.stage === 'VALIDATED',
          );
          const chosen = currentMatch(matches.get(partner) ?? [], current);
          return chosen ? [chosen] : [];
        })
      : [];
  const facts: ReadyFacts = {
    files: files.map((file) => ({
      partner: file.partner,
      fileId: file.fileId,
      landedAt: file.landedAt,
      stage: file.stage,
    })),
    quarantine: partners.flatMap((partner) => {
      const validated = files.filter((file) => file.partner === partner && file.stage === 'VALIDATED');
      if (validated.length === 0) return [];
      return [
        {
          partner,
          rowsIn: validated.reduce((sum, file) => sum + (file.counts?.rowsIn ?? 0), 0),
          quarantined: validated.reduce((sum, file) => sum + (file.counts?.quarantined ?? 0), 0),
        },
      ];
    }),
    conflicts: partners.flatMap((partner) => {
      const runs = uniqueRuns.filter((run) => run.partner === partner);
      if (runs.length === 0) return [];
      return [{ partner, open: runs.reduce((sum, run) => sum + run.counts.conflicts, 0) }];
    }),
    reconciliations,
    matches: matchFacts,
  };
  return {
    facts,
    uniqueRuns,
    runId: readyRunIdOf(scope, files, uniqueRuns, reconciliations, matchFacts),
    pending: pendingFacts(scope, files, uniqueRuns, partners, recons, matchFacts),
  };
}

/**
 * What the day still waits for from stages that always follow: every landed file is validated or rejected (then
 * reconciled), every validated file deduplicated (then reconciled and, for transactions, matched). A verdict
 * before those arrive would only be an interim BLOCKED; the event that brings the last one evaluates the day.
 */
function pendingFacts(
  scope: ReadyScope,
  files: readonly FileRecord[],
  uniqueRuns: readonly DedupRunRecord[],
  partners: readonly string[],
  recons: ReadonlyMap<string, readonly ReconRun[]>,
  matchFacts: readonly MatchFact[],
): string[] {
  const deduped = new Set(uniqueRuns.map((run) => run.fileId));
  const pending = files.flatMap((file) => {
    if (file.stage === 'LANDED') return [`${file.fileId} is not validated yet`];
    if (file.stage === 'VALIDATED' && !deduped.has(file.fileId))
      return [`${file.fileId} is not deduplicated yet`];
    return [];
  });
  if (pending.length > 0) return pending;
  for (const partner of partners) {
    const own = files.filter((file) => file.partner === partner);
    if (own.length === 0) continue;
    if (!coversExactly(recons.get(partner) ?? [], own)) pending.push(`the reconciliation of ${partner}`);
    const validated = own.some((file) => file.stage === 'VALIDATED');
    const match = matchFacts.find((fact) => fact.partner === partner);
    if (scope.dataset === 'transactions' && validated && (!match || (match.notCovered?.length ?? 0) > 0))
      pending.push(`the settlement match of ${partner}`);
  }
  return pending;
}

function latestBy<T>(items: readonly T[], at: (item: T) => string): T | undefined {
  return items.reduce<T | undefined>(
    (latest, item) => (!latest || at(item) > at(latest) ? item : latest),
    undefined,
  );
}

function latestDedupRun(file: FileRecord, runs: readonly DedupRunRecord[]): DedupRunRecord | undefined {
  if (file.stage !== 'VALIDATED') return undefined;
  return latestBy(
    runs.filter((run) => run.fileId === file.fileId && run.runId === file.runId),
    (run) => run.committedAt,
  );
}

/**
 * The latest reconciliation over exactly these files at their current runs (a validated file's dedup run is its
 * validation run), or else the latest at all (stale; the gate says so). Comparing runs, not just file ids, keeps a
 * reconciliation of a file's earlier run from counting as current while a rerun is in flight.
 */
function currentRecon(runs: readonly ReconRun[], files: readonly FileRecord[]): ReconRun | undefined {
  const covering = runs.filter((run) => coversExactly([run], files));
  return latestBy(covering.length > 0 ? covering : runs, (run) => run.committedAt);
}

/** Whether one of `runs` reconciled exactly these files at their current runs. */
function coversExactly(runs: readonly ReconRun[], files: readonly FileRecord[]): boolean {
  const current = files
    .map((file) => `${file.fileId}:${file.stage === 'VALIDATED' ? file.runId : '-'}`)
    .sort(byId)
    .join(',');
  return runs.some(
    (run) =>
      run.inputs
        .map((input) => `${input.fileId}:${input.dedupRunId ?? '-'}`)
        .sort(byId)
        .join(',') === current,
  );
}

function reconciliationFact(run: ReconRun, dedupRuns: readonly DedupRunRecord[]): ReconciliationFact {
  const sums = new Map<string, bigint>();
  let rows = 0;
  for (const input of run.inputs) {
    const dedup = latestBy(
      dedupRuns.filter((item) => item.fileId === input.fileId && item.runId === input.dedupRunId),
      (item) => item.committedAt,
    );
    if (!dedup) continue;
    rows += dedup.totals.unique.rowCount;
    for (const [currency, amount] of Object.entries(dedup.totals.unique.sums))
      sums.set(currency, (sums.get(currency) ?? 0n) + BigInt(amount));
  }
  return {
    partner: run.partner,
    reconRunId: run.reconRunId,
    balanced: run.balanced,
    breakCount: run.breaks,
    fileIds: run.inputs.map((input) => input.fileId),
    curated: {
      rows,
      sums: Object.fromEntries(
        [...sums.keys()].sort(byId).map((currency) => [currency, String(sums.get(currency))]),
      ),
    },
  };
}

/**
 * The match run that read every current validated file of the partner and date (at its current run) and the most
 * inputs, or else the latest at all with the files it missed. Runs of one partner and date can race (a transactions and a
 * settlements file land together); the one that committed last is not necessarily the one that saw more.
 */
function currentMatch(runs: readonly MatchRun[], files: readonly FileRecord[]): MatchFact | undefined {
  const missedBy = (run: MatchRun) =>
    files
      .filter(
        (file) => !run.inputs.some((input) => input.fileId === file.fileId && input.runId === file.runId),
      )
      .map((file) => file.fileId)
      .sort(byId);
  const covering = runs.filter((run) => missedBy(run).length === 0);
  // Among runs that read every file of the day, the one that read more of its window saw later facts (a late
  // file of an earlier date); commit time only breaks a tie, as a delayed run may commit last.
  const chosen =
    covering.length > 0
      ? latestBy(covering, (run) => `${String(run.inputs.length).padStart(9, '0')}#${run.committedAt}`)
      : latestBy(runs, (run) => run.committedAt);
  if (!chosen) return undefined;
  const notCovered = missedBy(chosen);
  return { ...matchFact(chosen), ...(notCovered.length > 0 ? { notCovered } : {}) };
}

function matchFact(run: MatchRun): MatchFact {
  const { counts } = run;
  return {
    partner: run.partner,
    runId: run.matchRunId,
    matched: counts.matchedTransactions,
    eligible: counts.matchedTransactions + counts.mismatchedTransactions + counts.agedTransactions,
  };
}

/**
 * Deterministic id of the facts evaluated.
 * @example readyRunIdOf(scope, files, runs, recons, matches) // 'ready_3f2a…' (24 hex)
 */
export function readyRunIdOf(
  scope: ReadyScope,
  files: readonly FileRecord[],
  uniqueRuns: readonly DedupRunRecord[],
  reconciliations: readonly ReconciliationFact[],
  matches: readonly MatchFact[],
): string {
  const lines = [
    `scope:${scope.dataset}:${scope.businessDate}`,
    ...files.map((file) => `file:${file.fileId}:${file.stage}:${file.runId}`),
    ...uniqueRuns.map((run) => `dedup:${run.fileId}:${run.eventId}`),
    ...reconciliations.map((fact) => `recon:${fact.partner}:${fact.reconRunId}`),
    ...matches.map((fact) => `match:${fact.partner}:${fact.runId}`),
  ].sort(byId);
  return digestId('ready', lines.join('\n'));
}
