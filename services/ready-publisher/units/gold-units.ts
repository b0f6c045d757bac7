import { z } from 'zod';
import { findDataset } from '../../../contracts/datasets/catalog.ts';
import type { ObjectRef } from '../../../contracts/events/envelope.ts';
import { DatasetNameSchema } from '../../../contracts/events/file-landed.ts';
import { withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import type { DedupRunRecord } from '../../../lib/file-registry/dedup-run-record.ts';
import { runUnit } from '../../../lib/work-units/run-unit.ts';
import type { UnitFanOut } from '../../../lib/work-units/unit-ledger.ts';
import { GoldInputError } from '../errors.ts';
import type { GateEvaluation, ReconciliationFact } from '../gate-facts.ts';
import { type BucketRange, bucketRanges } from '../gold-buckets.ts';
import { buildGoldPartition } from '../gold-build.ts';
import { type BucketDigest, contentHashOf, goldColumnsOf } from '../gold-content.ts';
import { type GoldTarget, goldPrefix, goldUnitPartKey, goldUnitsPlanKey } from '../gold-keys.ts';
import type { GoldPartition } from '../gold-partition.ts';
import type { ReadyConfig, ReadyPorts, ReadyScope } from '../ports.ts';

/** One work unit: build gold unit `index` (a range of buckets) of a run of a dataset and date; the plan is in S3. */
export const GoldUnitSchema = z.object({
  dataset: DatasetNameSchema,
  businessDate: z.iso.date(),
  /** The day's run id (gold's run id). */
  runId: z.string().min(1),
  index: z.number().int().nonnegative(),
});
export type GoldUnit = z.infer<typeof GoldUnitSchema>;

/**
 * The ledger scope of a dataset and date: its runs' units are recorded under `GOLD#<scope>`, apart from the verdict
 * items (`READY#…`), which every reader of verdicts reads whole.
 * @example goldScope({ dataset: 'transactions', businessDate: '2026-11-20' }) // 'transactions#2026-11-20'
 */
export const goldScope = (scope: ReadyScope): string => `${scope.dataset}#${scope.businessDate}`;

/** What ready-publisher records once per run for its gold units: small, the plan itself is an object. */
export interface GoldUnitsWork {
  readonly dataset: ReadyScope['dataset'];
  readonly businessDate: string;
  readonly runId: string;
  /** The event whose evaluation planned the build: the verdict names it as its cause. */
  readonly causationId: string;
  readonly units: number;
  readonly plan: ObjectRef;
}

/** What every unit and the join read: the evaluation that passed, the runs to read and each unit's buckets. */
export interface GoldUnitsPlan {
  readonly target: GoldTarget;
  readonly goldBucket: string;
  /** When the gates were evaluated (the marker's `createdAt`). */
  readonly createdAt: string;
  readonly evaluation: GateEvaluation;
  readonly reconciliations: readonly ReconciliationFact[];
  readonly runs: readonly DedupRunRecord[];
  readonly ranges: readonly BucketRange[];
}

/** A written gold part as the ledger keeps it. */
export interface GoldPartRecord {
  readonly key: string;
  readonly sha256: string;
  readonly rowCount: number;
  readonly sizeBytes: number;
}

/** A unit's outcome as the ledger keeps it: its parts (already in the gold bucket), bucket digests and totals. */
export interface GoldUnitResult {
  readonly index: number;
  readonly parts: readonly GoldPartRecord[];
  readonly buckets: readonly BucketDigest[];
  readonly rowCount: number;
  readonly sums: Record<string, string>;
  readonly byPartner: Record<string, { rows: number; sums: Record<string, string> }>;
}

/** Dates above `aboveRows` curated rows are built in units of about `rowsPerUnit` rows (whole buckets). */
export interface GoldUnitSizes {
  readonly aboveRows: number;
  readonly rowsPerUnit: number;
}

/** What building gold in units needs beyond the whole-build ports. */
export type GoldUnitsDeps = UnitFanOut<GoldUnitsWork, GoldUnitResult, GoldUnit, GoldUnitSizes>;

/** An evaluation that passed every gate and is too big for one invocation. */
export interface GoldUnitsRequest {
  readonly target: GoldTarget;
  readonly causationId: string;
  readonly now: Date;
  readonly evaluation: GateEvaluation;
  readonly reconciliations: readonly ReconciliationFact[];
  readonly runs: readonly DedupRunRecord[];
  readonly rows: number;
}

/**
 * Plan a date's gold in units and send them. Once per run: a redelivered trigger, or another evaluation of the
 * same facts, finds the recorded work and only sends the units again (a unit whose result is recorded only looks
 * for the join).
 * 1. Cut the buckets into `ceil(rows / rowsPerUnit)` ranges (at most one bucket each).
 * 2. Write the plan under `gold-units/` (never over an existing one), record the work in the ledger, send the units.
 */
export async function planGoldUnits(
  request: GoldUnitsRequest,
  ports: Pick<ReadyPorts, 'putObjectOnce'>,
  config: Pick<ReadyConfig, 'goldBucket'>,
  deps: GoldUnitsDeps,
): Promise<number> {
  const { target } = request;
  const scope = goldScope(target);
  let recorded = await deps.ledger.work(scope, target.runId);
  if (!recorded) {
    const plan: GoldUnitsPlan = {
      target,
      goldBucket: config.goldBucket,
      createdAt: request.now.toISOString(),
      evaluation: request.evaluation,
      reconciliations: request.reconciliations,
      runs: request.runs,
      ranges: bucketRanges(Math.ceil(request.rows / deps.sizes.rowsPerUnit)),
    };
    const planRef = { bucket: config.goldBucket, key: goldUnitsPlanKey(target) };
    // An existing plan is this run's (the key carries the run id, which hashes the facts): the units read it.
    await ports.putObjectOnce({
      key: planRef.key,
      contentType: 'application/json',
      bytes: new TextEncoder().encode(JSON.stringify(plan)),
    });
    recorded = await deps.ledger.recordWork(scope, target.runId, {
      dataset: target.dataset,
      businessDate: target.businessDate,
      runId: target.runId,
      causationId: request.causationId,
      units: plan.ranges.length,
      plan: planRef,
    });
  }
  const { units } = recorded.work;
  await deps.dispatch(
    Array.from({ length: units }, (_, index) => ({
      dataset: target.dataset,
      businessDate: target.businessDate,
      runId: target.runId,
      index,
    })),
  );
  return units;
}

async function readPlan(work: GoldUnitsWork, ports: Pick<ReadyPorts, 'getObject'>): Promise<GoldUnitsPlan> {
  const plan = JSON.parse(new TextDecoder().decode(await ports.getObject(work.plan))) as GoldUnitsPlan;
  if (plan.target.runId !== work.runId || plan.ranges.length !== work.units)
    throw new GoldInputError(
      `the unit plan s3://${work.plan.bucket}/${work.plan.key} is not that of run ${work.runId} (${plan.target.runId}, ${plan.ranges.length} units, ${work.units} recorded)`,
    );
  return plan;
}

/** A unit's end: the joined partition and its plan when this unit completed the set, else how far the set is. */
export type GoldUnitEnd =
  | {
      readonly kind: 'joined';
      readonly work: GoldUnitsWork;
      readonly plan: GoldUnitsPlan;
      readonly partition: GoldPartition;
    }
  | { readonly kind: 'waiting'; readonly done: number; readonly units: number };

/**
 * Build one unit's buckets unless its result is recorded, write its parts to the run's gold prefix (never over an
 * existing key; no marker, so no reader sees them yet), record the result (counted once), and when every unit has
 * a result, join them (`lib/work-units/run-unit.ts`).
 */
export async function buildGoldUnit(
  unit: GoldUnit,
  ports: Pick<ReadyPorts, 'getObject' | 'putObjectOnce'>,
  config: Pick<ReadyConfig, 'engine'>,
  ledger: GoldUnitsDeps['ledger'],
): Promise<GoldUnitEnd> {
  let plan: GoldUnitsPlan | undefined;
  const planOf = async (work: GoldUnitsWork) => {
    plan ??= await readPlan(work, ports);
    return plan;
  };
  const end = await runUnit({ scope: goldScope(unit), runId: unit.runId, index: unit.index }, ledger, {
    noun: 'gold unit',
    recovery: "redrive the ready-publisher DLQ's trigger of the date, or rerun the date",
    count: (work) => work.units,
    run: async (work, index) => buildOneUnit(await planOf(work), index, ports, config),
  });
  if (end.kind === 'waiting') return end;
  const joinedPlan = await planOf(end.work);
  return {
    kind: 'joined',
    work: end.work,
    plan: joinedPlan,
    partition: joinGoldUnits(joinedPlan, end.results),
  };
}

async function buildOneUnit(
  plan: GoldUnitsPlan,
  index: number,
  ports: Pick<ReadyPorts, 'getObject' | 'putObjectOnce'>,
  config: Pick<ReadyConfig, 'engine'>,
): Promise<GoldUnitResult> {
  const range = plan.ranges[index] as BucketRange;
  const prefix = goldPrefix(plan.target);
  return withSetEngine(config.engine, async (engine) => {
    const built = await buildGoldPartition({
      runs: plan.runs,
      target: plan.target,
      getObject: ports.getObject,
      engine,
      buckets: range,
      partKey: (part) => goldUnitPartKey(prefix, range.from, part),
    });
    const parts: GoldPartRecord[] = [];
    for (const { read, ...part } of built.parts) {
      await ports.putObjectOnce({
        key: part.key,
        contentType: 'application/vnd.apache.parquet',
        bytes: await read(),
      });
      parts.push(part);
    }
    const { buckets, rowCount, sums, byPartner } = built;
    return { index, parts, buckets, rowCount, sums, byPartner };
  });
}

const addInto = (total: Map<string, bigint>, sums: Readonly<Record<string, string>>) => {
  for (const [currency, minor] of Object.entries(sums))
    total.set(currency, (total.get(currency) ?? 0n) + BigInt(minor));
};

const sortedSums = (total: Map<string, bigint>): Record<string, string> =>
  Object.fromEntries([...total.keys()].sort().map((currency) => [currency, String(total.get(currency))]));

/**
 * The partition from its units' results, in unit order: parts concatenated, bucket digests in bucket order (the
 * content hash is that of one build over every bucket), rows and sums added. Refuses results that are not one per
 * planned unit, or a digest outside its unit's buckets. The parts are in the gold bucket already: `read` refuses.
 */
export function joinGoldUnits(plan: GoldUnitsPlan, results: readonly GoldUnitResult[]): GoldPartition {
  const { target } = plan;
  const ordered = [...results].sort((a, b) => a.index - b.index);
  if (ordered.length !== plan.ranges.length || ordered.some((result, at) => result.index !== at))
    throw new GoldInputError(
      `run ${target.runId} of ${target.dataset} ${target.businessDate} joins ${ordered.length} unit results for ${plan.ranges.length} units`,
    );
  for (const result of ordered) {
    const range = plan.ranges[result.index] as BucketRange;
    const stray = result.buckets.find(({ bucket }) => bucket < range.from || bucket >= range.to);
    if (stray)
      throw new GoldInputError(
        `gold unit ${result.index} of run ${target.runId} recorded bucket ${stray.bucket}, outside its ${range.from}-${range.to - 1}`,
      );
  }
  const contract = findDataset(target.dataset, target.schemaV);
  if (!contract) throw new GoldInputError(`no dataset contract ${target.dataset} v${target.schemaV}`);
  const sums = new Map<string, bigint>();
  const partners = new Map<string, { rows: number; sums: Map<string, bigint> }>();
  for (const result of ordered) {
    addInto(sums, result.sums);
    for (const [partner, totals] of Object.entries(result.byPartner)) {
      const joined = partners.get(partner) ?? { rows: 0, sums: new Map<string, bigint>() };
      partners.set(partner, joined);
      joined.rows += totals.rows;
      addInto(joined.sums, totals.sums);
    }
  }
  const buckets = ordered.flatMap((result) => [...result.buckets]);
  return {
    target,
    prefix: goldPrefix(target),
    parts: ordered.flatMap((result) =>
      result.parts.map((part) => ({
        ...part,
        read: () =>
          Promise.reject(
            new GoldInputError(`part ${part.key} was written by its unit; nothing reads it back`),
          ),
      })),
    ),
    contentHash: contentHashOf(target, goldColumnsOf(contract), buckets),
    buckets,
    rowCount: ordered.reduce((rows, result) => rows + result.rowCount, 0),
    sums: sortedSums(sums),
    byPartner: Object.fromEntries(
      [...partners.keys()].sort().map((partner) => {
        const totals = partners.get(partner) as { rows: number; sums: Map<string, bigint> };
        return [partner, { rows: totals.rows, sums: sortedSums(totals.sums) }];
      }),
    ),
  };
}
