import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { perEnvironment } from '../../lib/aws/clients.ts';
import { type ConsumerDefinition, createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { commitRun } from './handler.ts';
import { type SettlementMatchDeps, sideEffects, UNIT_WORKER } from './side-effects.ts';
import { type MatchUnit, MatchUnitSchema, matchUnit } from './units/match-unit-run.ts';

/** What one unit's processing returns (stored by Powertools idempotency, so JSON only). */
export type MatchUnitOutcome =
  | { joined: false; done: number; units: number }
  | { joined: true; matchRunId: string; committed: boolean };

/**
 * Match one unit of a big window, and when it completes the run's set of units, commit the joined run as a
 * whole-window match does: the run recorded and SettlementsMatched in the outbox, in one transaction.
 */
export async function processMatchUnit(
  unit: MatchUnit,
  deps: SettlementMatchDeps = sideEffects().match,
): Promise<MatchUnitOutcome> {
  if (!deps.units)
    throw new Error(
      'The settlement-match unit worker runs without a unit ledger: its files table is not configured.',
    );
  const end = await matchUnit(unit, deps.ports, deps.config, deps.units.ledger);
  if (end.kind === 'waiting') return { joined: false, done: end.done, units: end.units };
  const { committed } = await commitRun(end.run, end.work.causationId, deps);
  return { joined: true, matchRunId: end.run.matchRunId, committed };
}

/** The unit worker as an SQS consumer of its unit queue, keyed on the window, run and unit. */
export function matchUnitConsumer(
  deps: () => SettlementMatchDeps = () => sideEffects().match,
): ConsumerDefinition<MatchUnit, MatchUnitOutcome> {
  return {
    parse: (record) => MatchUnitSchema.parse(JSON.parse(record.body)),
    idempotencyKey: (unit) => `${unit.partner}:${unit.asOf}:${UNIT_WORKER}:${unit.runId}:${unit.index}`,
    fingerprint: (unit) => `${unit.partner}:${unit.asOf}:${unit.runId}:${unit.index}`,
    logKeys: (unit) => ({
      correlationId: `${unit.partner}:${unit.asOf}`,
      runId: unit.runId,
      unit: String(unit.index),
    }),
    process: (unit) => processMatchUnit(unit, deps()),
  };
}

const consumer = perEnvironment(() =>
  createSqsConsumer(matchUnitConsumer(), { ...sideEffects().consumer, service: UNIT_WORKER }),
);

/** Lambda entry point (unit queue → SQS). Wiring is built on the first invocation. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
