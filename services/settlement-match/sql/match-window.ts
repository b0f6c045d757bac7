import type { MatchingRules } from '../../../config/matching-rules.ts';
import type { SetEngine } from '../../../lib/duckdb/set-engine.ts';
import { matchingWindow, openItemAge } from '../business-dates.ts';
import { assertConservation } from '../conservation.ts';
import { MatchInputError } from '../errors.ts';
import type { MatchCounts } from '../match-result.ts';
import type { MatchSums } from '../match-summary.ts';
import type { DedupRunRef, MatchObjects } from '../ports.ts';
import type { ResultRecord } from '../result-records.ts';
import { assertRules } from '../rules-check.ts';
import { countRowOutcomes, createRowOutcomes, sumRowOutcomes } from './match-totals.ts';
import { createOutcomeTables, runPassInSql } from './pass-sql.ts';
import { streamResultRecords } from './result-stream.ts';
import { type LoadedWindow, loadWindow } from './window-tables.ts';

/** One partner's window to match: the latest dedup run of each file, and where their parts are read from. */
export interface WindowRequest {
  readonly partner: string;
  readonly asOf: string;
  readonly rules: MatchingRules;
  readonly runs: readonly DedupRunRef[];
  readonly objects: MatchObjects;
}

/** A matched window: counts and sums at once, result records streamed on demand (while the engine is open). */
export interface WindowMatch {
  readonly counts: MatchCounts;
  readonly sums: MatchSums;
  /** Transactions of types the partner does not settle line by line, left out of matching. */
  readonly notSettlingTransactions: number;
  records(): AsyncGenerator<ResultRecord>;
}

/**
 * Match a partner's window as set work in DuckDB, with the outcome of `matchSettlements` (its reference
 * implementation, kept for tests) and nothing of the window held in JavaScript.
 * 1. Check the rules; stage and load the window's rows in canonical order, checking the preconditions.
 * 2. Run each pass of the rules over the rows still open (`runPassInSql`).
 * 3. Count and sum every row's outcome; a row lost or doubled throws before anything is written.
 * @example const match = await matchWindowInSql(engine, { partner, asOf, rules, runs, objects }); for await (const r of match.records()) …
 */
export async function matchWindowInSql(engine: SetEngine, request: WindowRequest): Promise<WindowMatch> {
  const { partner, asOf, rules } = request;
  assertRules(rules);
  if (rules.partner !== partner)
    throw new MatchInputError(partner, asOf, `the rules given are those of ${rules.partner}`);
  const window = matchingWindow(asOf, rules);
  return matchLoadedRows(engine, { partner, asOf, rules }, await loadWindow(engine, { ...request, window }));
}

/**
 * Match the rows already loaded as `tx` and `st` (`loadWindow`): a whole window, or one unit of it
 * (`units/match-units.ts`), whose rows keep the window's canonical `seq`. `notSettlingTransactions` is passed
 * through as given: the window's count, which a join of units takes once, not once per unit.
 */
export async function matchLoadedRows(
  engine: SetEngine,
  target: { readonly partner: string; readonly asOf: string; readonly rules: MatchingRules },
  { files, notSettlingTransactions }: LoadedWindow,
): Promise<WindowMatch> {
  const { partner, asOf, rules } = target;
  await createOutcomeTables(engine);
  for (const [passNo, pass] of rules.passes.entries()) await runPassInSql(engine, pass, passNo, rules);
  await createRowOutcomes(engine);
  const aged = files.filter((file) => openItemAge(file.businessDate, asOf, rules).aged);
  const counts = await countRowOutcomes(
    engine,
    aged.map((file) => file.fileNo),
  );
  assertConservation(partner, asOf, counts);
  return {
    counts,
    sums: await sumRowOutcomes(engine),
    notSettlingTransactions,
    records: () => streamResultRecords(engine, { asOf, rules, files }),
  };
}
