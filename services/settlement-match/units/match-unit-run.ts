import { z } from 'zod';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import type { ObjectRef } from '../../../contracts/events/envelope.ts';
import type { SettlementsMatchedPayload } from '../../../contracts/events/settlements-matched.ts';
import { withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { partNumber } from '../../../lib/parquet/part-keys.ts';
import { runUnit } from '../../../lib/work-units/run-unit.ts';
import type { UnitFanOut } from '../../../lib/work-units/unit-ledger.ts';
import type { MatchingWindow } from '../business-dates.ts';
import { assertConservation } from '../conservation.ts';
import { SettlementMatchError } from '../errors.ts';
import type { MatchCounts } from '../match-result.ts';
import {
  type MatchRun,
  matchesPrefix,
  matchPayload,
  type PreparedRun,
  payloadInputs,
  writeResults,
} from '../match-run.ts';
import { type CurrencySums, type MatchSums, sumByCurrency } from '../match-summary.ts';
import type { SettlementMatchConfig, SettlementMatchPorts } from '../ports.ts';
import { matchLoadedRows } from '../sql/match-window.ts';
import type { WindowFile } from '../sql/window-tables.ts';
import { assignMatchUnits, loadUnitRows } from './match-units.ts';
import { readWindowKeys, scatterUnitRows } from './window-cut.ts';

/** One work unit: match unit `index` of a run of a partner's window; the plan comes from the ledger. */
export const MatchUnitSchema = z.object({
  partner: z.string().min(1),
  asOf: z.iso.date(),
  /** The match run id. */
  runId: z.string().min(1),
  index: z.number().int().nonnegative(),
});
export type MatchUnit = z.infer<typeof MatchUnitSchema>;

/**
 * The ledger scope of a partner's window: its runs' units are recorded beside its runs (`MATCH#<scope>`).
 * @example windowScope('acme-bank', '2026-11-20') // 'acme-bank#2026-11-20'
 */
export const windowScope = (partner: string, asOf: string): string => `${partner}#${asOf}`;

/** What settlement-match records once per run for its units: small, the plan itself is an object. */
export interface MatchUnitsWork {
  readonly partner: string;
  readonly asOf: string;
  readonly matchRunId: string;
  /** The RecordsDeduplicated event that started the run: the joined SettlementsMatched names it as its cause. */
  readonly causationId: string;
  readonly units: number;
  readonly plan: ObjectRef;
}

/** One unit's rows, as object keys (Parquet, at most `rowsPerPart` rows each). */
export interface PlannedUnit {
  readonly index: number;
  readonly tx: readonly string[];
  readonly st: readonly string[];
  readonly rows: number;
}

/** Rules as JSON (tolerances as decimal strings). */
type PlannedRules = Omit<MatchingRules, 'toleranceMinor'> & {
  readonly toleranceMinor: {
    readonly default: string;
    readonly byCurrency: Readonly<Record<string, string>>;
  };
};

const plannedRules = (rules: MatchingRules): PlannedRules => ({
  ...rules,
  toleranceMinor: {
    default: String(rules.toleranceMinor.default),
    byCurrency: Object.fromEntries(
      Object.entries(rules.toleranceMinor.byCurrency).map(([currency, minor]) => [currency, String(minor)]),
    ),
  },
});

const rulesOfPlan = (rules: PlannedRules): MatchingRules => ({
  ...rules,
  toleranceMinor: {
    default: BigInt(rules.toleranceMinor.default),
    byCurrency: Object.fromEntries(
      Object.entries(rules.toleranceMinor.byCurrency).map(([currency, minor]) => [currency, BigInt(minor)]),
    ),
  },
});

/** The plan every unit and the join read: the window as loaded and where each unit's rows are. */
export interface MatchUnitsPlan {
  readonly partner: string;
  readonly asOf: string;
  readonly matchRunId: string;
  /** The rules the window was cut for: every unit matches with them, whatever is deployed meanwhile. */
  readonly rules: PlannedRules;
  readonly window: MatchingWindow;
  readonly files: readonly WindowFile[];
  /** The window's count, taken once by the join (`matchLoadedRows`). */
  readonly notSettlingTransactions: number;
  readonly inputs: SettlementsMatchedPayload['inputs'];
  readonly units: readonly PlannedUnit[];
}

/** A unit's outcome as the ledger keeps it (result part keys only: the folder is the run's). */
export interface MatchUnitResult {
  readonly index: number;
  readonly counts: MatchCounts;
  readonly sums: MatchSums;
  readonly parts: readonly string[];
}

/**
 * Sizes: windows above `aboveRows` unique rows are matched in units of about `rowsPerUnit` rows (a component is
 * never split, so a unit may hold more), whose rows are moved in Parquet objects of at most `rowsPerPart` rows; the
 * planner gathers about `rowsPerBatch` rows of the window before writing them out to the units' objects.
 */
export interface MatchUnitSizes {
  readonly aboveRows: number;
  readonly rowsPerUnit: number;
  readonly rowsPerPart: number;
  readonly rowsPerBatch: number;
}

/** What matching in units needs beyond the whole-window ports. */
export type MatchUnitsDeps = UnitFanOut<MatchUnitsWork, MatchUnitResult, MatchUnit, MatchUnitSizes>;

/** Work area of a run's units under its result folder; `_` keeps it out of table scans of the results. */
export const unitRowsPrefix = (partner: string, asOf: string, matchRunId: string): string =>
  `${matchesPrefix(partner, asOf, matchRunId)}_units/`;

/**
 * Plan a run in units and send them (issue #11, item 3). Once per run: a redelivered trigger finds the recorded
 * work and only sends the units again (a unit whose result is recorded only looks for the join).
 * 1. Read the window's row ids and join values (`readWindowKeys`), cut them into components and units
 *    (`assignMatchUnits`): the window's rows are never held together.
 * 2. Read the parts again and write each unit's rows as bounded Parquet objects under the run's `_units/` folder
 *    (`scatterUnitRows`), then the plan beside them.
 * 3. Record the work (the plan's key) in the ledger, then send one unit per index.
 * The cut is a pure function of the inputs, so two planners of one run write the same objects.
 */
export async function planMatchUnits(
  run: PreparedRun,
  causationId: string,
  ports: SettlementMatchPorts,
  config: SettlementMatchConfig,
  deps: MatchUnitsDeps,
): Promise<number> {
  const { partner, asOf, matchRunId } = run;
  const scope = windowScope(partner, asOf);
  const recorded =
    (await deps.ledger.work(scope, matchRunId)) ??
    (await deps.ledger.recordWork(
      scope,
      matchRunId,
      await writePlan(run, causationId, ports, config, deps.sizes),
    ));
  const { units } = recorded.work;
  await deps.dispatch(
    Array.from({ length: units }, (_, index) => ({ partner, asOf, runId: matchRunId, index })),
  );
  return units;
}

async function writePlan(
  run: PreparedRun,
  causationId: string,
  ports: SettlementMatchPorts,
  config: SettlementMatchConfig,
  sizes: MatchUnitSizes,
): Promise<MatchUnitsWork> {
  const { partner, asOf, matchRunId, rules, window } = run;
  const unitCount = Math.max(1, Math.ceil(run.windowRows / sizes.rowsPerUnit));
  const prefix = unitRowsPrefix(partner, asOf, matchRunId);
  const plan = await withSetEngine(config.planEngine, async (engine): Promise<MatchUnitsPlan> => {
    const keys = await readWindowKeys(
      engine,
      {
        partner,
        asOf,
        window,
        rules,
        runs: run.inputs,
        objects: ports.objects,
      },
      sizes.rowsPerBatch,
    );
    // The cut reads keys only; a row without a key is found by the scatter.
    await engine.db.run('DROP TABLE window_rows');
    await assignMatchUnits(engine, unitCount);
    const written = await scatterUnitRows(engine, keys.parts, run.inputs, rules, {
      unitCount,
      rowsPerPart: sizes.rowsPerPart,
      rowsPerBatch: sizes.rowsPerBatch,
      prefix: { bucket: config.silverBucket, key: prefix },
      objects: ports.objects,
    });
    return {
      partner,
      asOf,
      matchRunId,
      rules: plannedRules(rules),
      window,
      files: keys.files,
      notSettlingTransactions: keys.notSettlingTransactions,
      inputs: payloadInputs(run.inputs),
      units: written.map(({ unit, tx, st, rows }) => ({ index: unit, tx, st, rows })),
    };
  });
  const planRef = { bucket: config.silverBucket, key: `${prefix}plan.json` };
  await ports.objects.putObject(planRef, new TextEncoder().encode(JSON.stringify(plan)));
  return { partner, asOf, matchRunId, causationId, units: unitCount, plan: planRef };
}

async function readPlan(work: MatchUnitsWork, ports: SettlementMatchPorts): Promise<MatchUnitsPlan> {
  const plan = JSON.parse(
    new TextDecoder().decode(await ports.objects.getObject(work.plan)),
  ) as MatchUnitsPlan;
  if (plan.matchRunId !== work.matchRunId || plan.units.length !== work.units)
    throw new SettlementMatchError(
      `The unit plan s3://${work.plan.bucket}/${work.plan.key} is not that of run ${work.matchRunId} (${plan.matchRunId}, ${plan.units.length} units, ${work.units} recorded). Something overwrote it: rerun the partner's date.`,
    );
  return plan;
}

/** A unit's end: the joined run when this unit completed the set (to be committed), else how far the set is. */
export type MatchUnitEnd =
  | { readonly kind: 'joined'; readonly work: MatchUnitsWork; readonly run: MatchRun }
  | { readonly kind: 'waiting'; readonly done: number; readonly units: number };

/**
 * Match one unit unless its result is recorded, record it (counted once), and when every unit has a result, join
 * them (`lib/work-units/run-unit.ts`). A unit is matched in a session of its own with the window's rules, from its
 * rows' objects, and its records written under `unit-<NNNNN>/` of the run's folder (same keys on a retry).
 */
export async function matchUnit(
  unit: MatchUnit,
  ports: SettlementMatchPorts,
  config: SettlementMatchConfig,
  ledger: MatchUnitsDeps['ledger'],
): Promise<MatchUnitEnd> {
  let plan: MatchUnitsPlan | undefined;
  const planOf = async (work: MatchUnitsWork) => {
    plan ??= await readPlan(work, ports);
    return plan;
  };
  const end = await runUnit(
    { scope: windowScope(unit.partner, unit.asOf), runId: unit.runId, index: unit.index },
    ledger,
    {
      noun: 'match unit',
      recovery: "redrive the settlement-match DLQ's RecordsDeduplicated, or rerun the partner's date",
      count: (work) => work.units,
      run: async (work, index) => matchOneUnit(await planOf(work), index, ports, config),
    },
  );
  if (end.kind === 'waiting') return end;
  return { kind: 'joined', work: end.work, run: joinMatchUnits(await planOf(end.work), end.results, config) };
}

async function matchOneUnit(
  plan: MatchUnitsPlan,
  index: number,
  ports: SettlementMatchPorts,
  config: SettlementMatchConfig,
): Promise<MatchUnitResult> {
  const rules = rulesOfPlan(plan.rules);
  const unit = plan.units[index] as PlannedUnit;
  return withSetEngine(config.engine, async (engine) => {
    const stage = async (keys: readonly string[]) => {
      const paths: string[] = [];
      for (const key of keys)
        paths.push(
          await engine.stage(
            `rows-${paths.length}-${key.slice(key.lastIndexOf('/') + 1)}`,
            await ports.objects.getObject({ bucket: config.silverBucket, key }),
          ),
        );
      return paths;
    };
    await loadUnitRows(engine, { tx: await stage(unit.tx), st: await stage(unit.st) });
    const match = await matchLoadedRows(
      engine,
      { partner: plan.partner, asOf: plan.asOf, rules },
      { files: plan.files, notSettlingTransactions: plan.notSettlingTransactions },
    );
    const prefix = `${matchesPrefix(plan.partner, plan.asOf, plan.matchRunId)}unit-${partNumber(index)}/`;
    const results = await writeResults(match.records(), prefix, ports, config);
    return { index, counts: match.counts, sums: match.sums, parts: results.parts };
  });
}

/**
 * The run from its units' results, in unit order: counts and sums added, result parts concatenated (records are in
 * result order within a unit). Refuses results that do not add up to the plan's rows or lose a row between
 * outcomes (a unit lost or counted twice).
 */
export function joinMatchUnits(
  plan: MatchUnitsPlan,
  results: readonly MatchUnitResult[],
  config: Pick<SettlementMatchConfig, 'silverBucket'>,
): MatchRun {
  const ordered = [...results].sort((a, b) => a.index - b.index);
  if (ordered.length !== plan.units.length || ordered.some((result, at) => result.index !== at))
    throw new SettlementMatchError(
      `Run ${plan.matchRunId} of ${plan.partner} as of ${plan.asOf} joins ${ordered.length} unit results for ${plan.units.length} units. This is a bug in settlement-match; nothing was committed.`,
    );
  const counts = addCounts(ordered.map((result) => result.counts));
  const rows = counts.transactions + counts.settlements;
  const planned = plan.units.reduce((sum, unit) => sum + unit.rows, 0);
  if (rows !== planned)
    throw new SettlementMatchError(
      `Run ${plan.matchRunId} of ${plan.partner} as of ${plan.asOf}: its ${ordered.length} units matched ${rows} rows, ${planned} planned. This is a bug in settlement-match; nothing was committed.`,
    );
  assertConservation(plan.partner, plan.asOf, counts);
  const prefix = matchesPrefix(plan.partner, plan.asOf, plan.matchRunId);
  return {
    matchRunId: plan.matchRunId,
    notSettlingTransactions: plan.notSettlingTransactions,
    payload: matchPayload(plan, plan.inputs, {
      counts,
      sums: addSums(ordered.map((result) => result.sums)),
      results: { bucket: config.silverBucket, prefix, parts: ordered.flatMap((result) => [...result.parts]) },
    }),
  };
}

/** Counts of several units, field by field. */
export function addCounts(all: readonly MatchCounts[]): MatchCounts {
  const total: Record<string, number> = {};
  for (const counts of all)
    for (const [name, value] of Object.entries(counts)) total[name] = (total[name] ?? 0) + value;
  return total as unknown as MatchCounts;
}

/** Per-currency sums of several units, in minor units (bigint), currencies in code order. */
const addCurrencySums = (all: readonly CurrencySums[]): CurrencySums =>
  sumByCurrency(
    all.flatMap((sums) =>
      Object.entries(sums).map(([currency, minor]) => [currency, BigInt(minor)] as const),
    ),
  );

/** Each bucket's per-currency sums of several units. */
function addBuckets<Buckets extends { [Name in keyof Buckets]: CurrencySums }>(
  all: readonly Buckets[],
): Buckets {
  const names = Object.keys(all[0] ?? {}) as (keyof Buckets)[];
  return Object.fromEntries(
    names.map((name) => [name, addCurrencySums(all.map((buckets) => buckets[name] ?? {}))]),
  ) as Buckets;
}

/** Sums of several units, bucket by bucket. */
export function addSums(all: readonly MatchSums[]): MatchSums {
  return {
    transactions: addBuckets(all.map((sums) => sums.transactions)),
    settlementAmounts: addBuckets(all.map((sums) => sums.settlementAmounts)),
    settlementFees: addBuckets(all.map((sums) => sums.settlementFees)),
    outstanding: addCurrencySums(all.map((sums) => sums.outstanding)),
  };
}
