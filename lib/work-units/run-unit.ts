import type { UnitLedger } from './unit-ledger.ts';

/** Where a unit's run is recorded: its scope (a file id, a partner's window), run and unit number. */
export interface UnitAddress {
  readonly scope: string;
  readonly runId: string;
  readonly index: number;
}

/** A unit's end: the recorded work and every result when this unit completed the set, else how far the set is. */
export type UnitEnd<Work, Result> =
  | { readonly kind: 'complete'; readonly work: Work; readonly results: readonly Result[] }
  | { readonly kind: 'waiting'; readonly done: number; readonly units: number };

/** How a kind of work is cut: its units, and the work of one. */
export interface UnitWork<Work, Result> {
  /** What a unit is called in errors ("chunk", "dedup unit"). */
  readonly noun: string;
  /** What the operator does when a unit of this kind reaches its DLQ without work ("rerun the file"). */
  readonly recovery: string;
  readonly count: (work: Work) => number;
  readonly run: (work: Work, index: number) => Promise<Result>;
}

/**
 * One unit of recorded work: run it unless its result is recorded, record the result (counted once), and when
 * every unit has a result, hand back all of them for the join. Two units finishing together may both complete:
 * the join is the same and the commit after it keeps one.
 */
export async function runUnit<Work, Result extends { readonly index: number }>(
  unit: UnitAddress,
  ledger: UnitLedger<Work, Result>,
  kind: UnitWork<Work, Result>,
): Promise<UnitEnd<Work, Result>> {
  const { scope, runId, index } = unit;
  const recorded = await ledger.work(scope, runId);
  if (!recorded)
    throw new Error(
      `No ${kind.noun} work recorded for ${scope} run ${runId}: the unit came before its work was written, or the item was deleted. The unit is retried; if it reaches the DLQ, ${kind.recovery}.`,
    );
  const units = kind.count(recorded.work);
  if (index >= units)
    throw new Error(`${scope} run ${runId} has no ${kind.noun} ${index} (${units} in all).`);
  let done = recorded.done;
  if (!(await ledger.hasResult(scope, runId, index)))
    done = await ledger.recordResult(scope, runId, await kind.run(recorded.work, index));
  if (done < units) return { kind: 'waiting', done, units };
  return { kind: 'complete', work: recorded.work, results: await ledger.results(scope, runId) };
}
