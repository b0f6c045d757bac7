import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { perEnvironment } from '../../lib/aws/clients.ts';
import { type ConsumerDefinition, createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { publishDatapoint } from '../../lib/metrics/business-metrics.ts';
import { commitOutcome, type ReadyResult } from './handler.ts';
import { dayFacts, publishBuiltGold } from './publish-day.ts';
import { type ReadyDeps, sideEffects, UNIT_WORKER } from './side-effects.ts';
import { buildGoldUnit, type GoldUnit, GoldUnitSchema } from './units/gold-units.ts';

/** What one unit's processing returns (stored by Powertools idempotency, so JSON only). */
export type GoldUnitOutcome =
  | { joined: false; done: number; units: number }
  | { joined: true; superseded: string | null; result: ReadyResult | null };

/**
 * Build one unit of a big date's gold, and when it completes the run's set of units, publish the joined partition
 * as a whole build does (reconciliation check, marker) and commit DatasetReady (or DatasetBlocked) in one
 * transaction. The facts are read once more first: if the day moved on while the units ran (a new file, a new
 * match run), its run id changed and the evaluation of the new facts decides; this run publishes nothing.
 */
export async function processGoldUnit(
  unit: GoldUnit,
  deps: ReadyDeps = sideEffects().ready,
): Promise<GoldUnitOutcome> {
  if (!deps.units)
    throw new Error('The gold unit worker runs without a unit ledger: its files table is not configured.');
  const end = await buildGoldUnit(unit, deps.ports, deps.config, deps.units.ledger);
  if (end.kind === 'waiting') return { joined: false, done: end.done, units: end.units };
  const scope = { dataset: unit.dataset, businessDate: unit.businessDate };
  const current = await dayFacts(scope, deps.ports, deps.config.gates);
  if (current.runId !== unit.runId) return { joined: true, superseded: current.runId, result: null };
  const { plan, partition } = end;
  const outcome = await publishBuiltGold(
    {
      partition,
      evaluation: plan.evaluation,
      createdAt: new Date(plan.createdAt),
      reconciliations: plan.reconciliations,
      partsWritten: true,
    },
    deps.ports,
    deps.config,
  );
  return {
    joined: true,
    superseded: null,
    result: await commitOutcome(scope, outcome, end.work.causationId, deps),
  };
}

/** The unit worker as an SQS consumer of its unit queue, keyed on the date, run and unit. */
export function goldUnitConsumer(
  deps: () => ReadyDeps = () => sideEffects().ready,
  metrics: (() => Metrics | undefined) | undefined = () => sideEffects().metrics,
): ConsumerDefinition<GoldUnit, GoldUnitOutcome> {
  return {
    parse: (record) => GoldUnitSchema.parse(JSON.parse(record.body)),
    idempotencyKey: (unit) =>
      `${unit.dataset}:${unit.businessDate}:${UNIT_WORKER}:${unit.runId}:${unit.index}`,
    fingerprint: (unit) => `${unit.dataset}:${unit.businessDate}:${unit.runId}:${unit.index}`,
    logKeys: (unit) => ({
      correlationId: `${unit.dataset}:${unit.businessDate}`,
      runId: unit.runId,
      unit: String(unit.index),
    }),
    process: async (unit) => {
      const outcome = await processGoldUnit(unit, deps());
      // As ready-publisher does for every announced verdict: the ExpectedFileMissing alarm's datapoint.
      if (outcome.joined && outcome.result?.committed)
        publishDatapoint(metrics?.(), 'ExpectedFileMissing', outcome.result.filesMissingByCutoff);
      return outcome;
    },
  };
}

const consumer = perEnvironment(() =>
  createSqsConsumer(goldUnitConsumer(), { ...sideEffects().consumer, service: UNIT_WORKER }),
);

/** Lambda entry point (unit queue → SQS). Wiring is built on the first invocation. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
