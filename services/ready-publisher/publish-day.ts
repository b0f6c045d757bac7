import { type DatasetGates, gatesFor } from '../../config/ready-gates.ts';
import type { DatasetBlockedPayload } from '../../contracts/events/dataset-blocked.ts';
import type { DatasetReadyPayload } from '../../contracts/events/dataset-ready.ts';
import { withSetEngine } from '../../lib/duckdb/set-engine.ts';
import { type DayFacts, readyFactsOf } from './day-facts.ts';
import { GatesNotDeclaredError } from './errors.ts';
import { evaluateGates, expectedFiles } from './evaluate-gates.ts';
import type { GateEvaluation, ReconciliationFact } from './gate-facts.ts';
import { goldSizeGate } from './gates.ts';
import { buildGoldPartition } from './gold-build.ts';
import { schemaVersionOf } from './gold-input.ts';
import type { GoldPartition } from './gold-partition.ts';
import type { MatchRun, ReadyConfig, ReadyPorts, ReadyScope, ReconRun } from './ports.ts';
import { blockedPayloadOf, planPublication } from './ready-publisher.ts';
import { type GoldUnitsDeps, planGoldUnits } from './units/gold-units.ts';

/** What an evaluation decided; `commit` records it and announces it (once per run id). */
export type DayVerdict =
  | { readonly kind: 'ready'; readonly runId: string; readonly payload: DatasetReadyPayload }
  | { readonly kind: 'blocked'; readonly runId: string; readonly payload: DatasetBlockedPayload };

/** The outcome of one evaluation. */
export interface PublishOutcome {
  /**
   * `deferred`: facts are still on their way (`DayFacts.pending`); the event that brings the last evaluates.
   * `building`: every gate passed and gold is being built in units; the unit completing the set publishes.
   */
  readonly kind: 'ready' | 'blocked' | 'already-published' | 'deferred' | 'building';
  readonly runId: string;
  readonly verdict: DayVerdict | null;
  readonly goldObjectsWritten: number;
}

/**
 * Evaluate a dataset and business date and, when every gate passes, write its gold partition.
 *
 * Primary course:
 * 1. Read the day's facts from the registry (files, dedup runs; reconciliation and match runs per partner in
 *    scope) and derive the run id from them.
 * 2. While a stage that always follows is still to bring a fact (a file to validate or deduplicate, a
 *    reconciliation or match over the current files), decide nothing: its own event evaluates the day again.
 * 3. Evaluate the gates as of `now` (the triggering event's time). Blocked: return the verdict; nothing is written.
 * 4. A publication of the same run id already committed (a replay): nothing to do.
 * 5. Above the unit size (`units.sizes.aboveRows` curated rows), plan gold in units and send them
 *    (`planGoldUnits`): the unit completing the set publishes (`publishBuiltGold`) and commits.
 * 6. Else build gold from the curated rows as set work (`buildGoldPartition`, DuckDB), check it against each
 *    reconciliation, write the parts one at a time from the scratch folder, then the marker, never over an
 *    existing key. The caller commits the verdict and its event.
 */
export async function publishDay(
  scope: ReadyScope,
  now: Date,
  ports: ReadyPorts,
  config: ReadyConfig,
  fanOut?: { readonly units: GoldUnitsDeps; readonly causationId: string },
): Promise<PublishOutcome> {
  const day = await dayFacts(scope, ports, config.gates);
  if (day.pending.length > 0)
    return { kind: 'deferred', runId: day.runId, verdict: null, goldObjectsWritten: 0 };
  const evaluation = evaluateGates(
    { dataset: scope.dataset, businessDate: scope.businessDate, now, facts: day.facts },
    config.gates,
  );
  const base = { runId: day.runId, schemaV: schemaVersionOf(day.uniqueRuns) ?? 1, bucket: config.goldBucket };
  if (!evaluation.ready)
    return blocked(blockedPayloadOf({ ...scope, runId: day.runId }, evaluation.gates), day.runId);
  if (await ports.isPublished(scope, day.runId))
    return { kind: 'already-published', runId: day.runId, verdict: null, goldObjectsWritten: 0 };
  // Sized from the dedup records before a row is read.
  const rows = day.uniqueRuns.reduce((total, run) => total + run.counts.unique, 0);
  const size = goldSizeGate(rows, config.maxGoldRows);
  if (!size.passed)
    return blocked(blockedPayloadOf({ ...scope, runId: day.runId }, [...evaluation.gates, size]), day.runId);
  const target = { ...scope, runId: day.runId, schemaV: base.schemaV };
  const reconciliations = day.facts.reconciliations;
  if (fanOut && rows > fanOut.units.sizes.aboveRows) {
    const request = { target, now, evaluation, reconciliations, runs: day.uniqueRuns, rows };
    await planGoldUnits({ ...request, causationId: fanOut.causationId }, ports, config, fanOut.units);
    return { kind: 'building', runId: day.runId, verdict: null, goldObjectsWritten: 0 };
  }
  // The parts wait in the engine's scratch folder, so they are written before it closes.
  return withSetEngine(config.engine, async (engine) => {
    const partition = await buildGoldPartition({
      runs: day.uniqueRuns,
      target,
      getObject: ports.getObject,
      engine,
    });
    return publishBuiltGold({ partition, evaluation, createdAt: now, reconciliations }, ports, config);
  });
}

/**
 * Check built gold against each partner's reconciliation and write it, never over an existing key: its parts (in
 * the scratch folder after a whole build; a unit's parts are in the gold bucket already), then the marker.
 */
export async function publishBuiltGold(
  built: {
    readonly partition: GoldPartition;
    readonly evaluation: GateEvaluation;
    readonly createdAt: Date;
    readonly reconciliations: readonly ReconciliationFact[];
    /** True when the units wrote the parts: only the marker is left to write. */
    readonly partsWritten?: boolean;
  },
  ports: Pick<ReadyPorts, 'putObjectOnce'>,
  config: Pick<ReadyConfig, 'goldBucket'>,
): Promise<PublishOutcome> {
  const { partition } = built;
  const { runId, schemaV } = partition.target;
  const plan = planPublication({ ...built, runId, schemaV, bucket: config.goldBucket });
  if (plan.kind === 'blocked') return blocked(plan.payload, runId);
  const written = new Set(built.partsWritten ? partition.parts.map((part) => part.key) : []);
  let created = 0;
  for (const { key, contentType, read } of plan.objects) {
    if (written.has(key)) continue;
    if ((await ports.putObjectOnce({ key, contentType, bytes: await read() })) === 'created') created += 1;
  }
  return {
    kind: 'ready',
    runId,
    verdict: { kind: 'ready', runId, payload: plan.payload },
    goldObjectsWritten: created,
  };
}

function blocked(payload: DatasetBlockedPayload, runId: string): PublishOutcome {
  return { kind: 'blocked', runId, verdict: { kind: 'blocked', runId, payload }, goldObjectsWritten: 0 };
}

/**
 * The day's facts: files and dedup runs, then the runs of every partner in scope (expected or delivering). Also
 * what a rerun reads to find the verdict its facts lead to (services/rerun).
 */
export async function dayFacts(
  scope: ReadyScope,
  ports: Pick<ReadyPorts, 'listDay' | 'reconRuns' | 'matchRuns'>,
  gates: readonly DatasetGates[],
): Promise<DayFacts> {
  const spec = gatesFor(scope.dataset, gates);
  if (!spec) throw new GatesNotDeclaredError(scope.dataset);
  const listing = await ports.listDay(scope.businessDate, { dataset: scope.dataset });
  const partners = [
    ...new Set([
      ...expectedFiles(spec, scope.businessDate).map((file) => file.partner),
      ...listing.files.map((file) => file.partner),
    ]),
  ].sort();
  const recons = new Map<string, readonly ReconRun[]>();
  const matches = new Map<string, readonly MatchRun[]>();
  for (const partner of partners) {
    const runs = await ports.reconRuns(scope, partner);
    if (runs.length > 0) recons.set(partner, runs);
    if (scope.dataset !== 'transactions') continue;
    const matchRuns = await ports.matchRuns(partner, scope.businessDate);
    if (matchRuns.length > 0) matches.set(partner, matchRuns);
  }
  // Matching reads both datasets: a match run is current only if it read the day's settlements files too.
  const counterpart =
    scope.dataset === 'transactions'
      ? await ports.listDay(scope.businessDate, { dataset: 'settlements' })
      : undefined;
  return readyFactsOf(scope, listing, recons, matches, counterpart?.files ?? []);
}
