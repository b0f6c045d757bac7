import { findMatchingRules, type MatchingRules } from '../../config/matching-rules.ts';
import type { PartsRef } from '../../contracts/events/envelope.ts';
import type { SettlementsMatchedPayload } from '../../contracts/events/settlements-matched.ts';
import { withSetEngine } from '../../lib/duckdb/set-engine.ts';
import { JsonLinesPartBuffer } from '../../lib/parquet/json-lines-part-buffer.ts';
import { keySegment, partNumber } from '../../lib/parquet/part-keys.ts';
import { type MatchingWindow, matchingWindow } from './business-dates.ts';
import { SettlementMatchError, WindowTooLargeError } from './errors.ts';
import { latestRunPerFile, matchRunIdOf, windowDates } from './match-inputs.ts';
import type { DedupRunRef, SettlementMatchConfig, SettlementMatchPorts } from './ports.ts';
import type { ResultRecord } from './result-records.ts';
import { matchWindowInSql } from './sql/match-window.ts';

/** What triggers a run: a file of the partner was deduplicated (RecordsDeduplicated v1 or v2). */
export interface MatchTrigger {
  readonly partner: string;
  /** The trigger's business date: the run is as of it. */
  readonly asOf: string;
  /** The trigger's own dedup run, added when the registry's index does not list it yet (GSIs lag). */
  readonly run: DedupRunRef;
}

/** One run's outcome: the SettlementsMatched payload, plus what the registry item records beside it. */
export interface MatchRun {
  readonly payload: SettlementsMatchedPayload;
  readonly matchRunId: string;
  /** Transactions of types the partner does not settle line by line (`settlingTypes`), left out of matching. */
  readonly notSettlingTransactions: number;
}

/**
 * Folder of one run's result parts.
 * @example matchesPrefix('acme-bank', '2026-11-20', 'mr_…') // 'silver/matches/partner=acme-bank/dt=2026-11-20/match_run_id=mr_…/'
 */
export function matchesPrefix(partner: string, asOf: string, matchRunId: string): string {
  return `silver/matches/${keySegment('partner', partner)}/${keySegment('dt', asOf)}/${keySegment('match_run_id', matchRunId)}/`;
}

/** A run as prepared before a row is read: the partner's rules and window, its inputs, their size and the run id. */
export interface PreparedRun {
  readonly partner: string;
  readonly asOf: string;
  readonly rules: MatchingRules;
  readonly window: MatchingWindow;
  /** The latest committed dedup run of each file of the window, in SettlementsMatched inputs order. */
  readonly inputs: readonly DedupRunRef[];
  /** Unique rows of the inputs (transactions of every type, and settlements). */
  readonly windowRows: number;
  readonly matchRunId: string;
}

/**
 * Prepare a run as of the trigger's business date: take the partner's rules and window and list each date's
 * committed dedup runs, the latest per file. Refuses a window over the row limit before a byte is read.
 */
export async function prepareMatchRun(
  trigger: MatchTrigger,
  ports: SettlementMatchPorts,
  config: Pick<SettlementMatchConfig, 'maxWindowRows'>,
): Promise<PreparedRun> {
  const { partner, asOf } = trigger;
  const rules = findMatchingRules(partner);
  if (!rules)
    throw new SettlementMatchError(
      `No matching rules are declared for ${partner}. Add them to config/matching-rules.ts, deploy, then redrive the DLQ.`,
    );
  const window = matchingWindow(asOf, rules);
  const listed: DedupRunRef[] = [trigger.run];
  for (const date of windowDates(window)) listed.push(...(await ports.dedupRuns(date, partner)));
  const inputs = latestRunPerFile(listed.filter((run) => run.partner === partner));
  const windowRows = inputs.reduce((sum, input) => sum + input.uniqueRows, 0);
  if (windowRows > config.maxWindowRows)
    throw new WindowTooLargeError(partner, asOf, windowRows, config.maxWindowRows);
  return { partner, asOf, rules, window, inputs, windowRows, matchRunId: matchRunIdOf(inputs) };
}

/** The SettlementsMatched payload of a run from what matching found (whole, or joined from its units). */
export function matchPayload(
  run: Pick<PreparedRun, 'partner' | 'asOf' | 'window' | 'matchRunId'>,
  inputs: SettlementsMatchedPayload['inputs'],
  found: Pick<SettlementsMatchedPayload, 'counts' | 'sums' | 'results'>,
): SettlementsMatchedPayload {
  return {
    partner: run.partner,
    businessDate: run.asOf,
    window: { ...run.window },
    matchRunId: run.matchRunId,
    counts: { ...found.counts },
    sums: found.sums,
    results: found.results,
    inputs: [...inputs],
  };
}

/** The inputs as SettlementsMatched names them. */
export const payloadInputs = (inputs: readonly DedupRunRef[]): SettlementsMatchedPayload['inputs'] =>
  inputs.map((input) => ({
    dataset: input.dataset,
    fileId: input.fileId,
    businessDate: input.businessDate,
    runId: input.runId,
    dedupRunId: input.runId,
  }));

/**
 * Match a prepared window whole in one session.
 * 1. Stage the inputs' unique parts in DuckDB and match there (`matchWindowInSql`), leaving out transaction types
 *    the partner does not settle.
 * 2. Stream the result records out as bounded JSON Lines parts (same keys on a retry).
 */
export async function matchPartnerDay(
  run: PreparedRun,
  ports: SettlementMatchPorts,
  config: SettlementMatchConfig,
): Promise<MatchRun> {
  const { partner, asOf, rules, matchRunId } = run;
  const { counts, sums, notSettlingTransactions, results } = await withSetEngine(
    config.engine,
    async (engine) => {
      const match = await matchWindowInSql(engine, {
        partner,
        asOf,
        rules,
        runs: run.inputs,
        objects: ports.objects,
      });
      const prefix = matchesPrefix(partner, asOf, matchRunId);
      return { ...match, results: await writeResults(match.records(), prefix, ports, config) };
    },
  );
  return {
    matchRunId,
    notSettlingTransactions,
    payload: matchPayload(run, payloadInputs(run.inputs), { counts, sums, results }),
  };
}

/**
 * Write records as JSON Lines parts of at most `resultPartEntries` records or `resultPartCharacters` characters,
 * always at least one part (empty when nothing was read), so readers find the run.
 * @example await writeResults(match.records(), matchesPrefix(partner, asOf, matchRunId), ports, config)
 */
export async function writeResults(
  records: AsyncIterable<ResultRecord> | Iterable<ResultRecord>,
  prefix: string,
  ports: SettlementMatchPorts,
  config: SettlementMatchConfig,
): Promise<PartsRef> {
  const buffer = new JsonLinesPartBuffer<ResultRecord>(config.resultPartEntries, config.resultPartCharacters);
  const parts: string[] = [];
  const flush = async () => {
    const key = `${prefix}part-${partNumber(parts.length)}.jsonl`;
    await ports.objects.putObject({ bucket: config.silverBucket, key }, buffer.finish());
    parts.push(key);
  };
  for await (const record of records) {
    buffer.add(record);
    if (buffer.full) await flush();
  }
  if (buffer.entryCount > 0 || parts.length === 0) await flush();
  return { bucket: config.silverBucket, prefix, parts };
}
