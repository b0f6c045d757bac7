import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { perEnvironment } from '../../lib/aws/clients.ts';
import { type ConsumerDefinition, createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { commitPayload, type DedupCommitted } from './handler.ts';
import { type DedupDeps, sideEffects, UNIT_WORKER } from './side-effects.ts';
import { type DedupUnit, DedupUnitSchema, dedupUnit } from './units/dedup-units.ts';

/** What one unit's processing returns (stored by Powertools idempotency, so JSON only). */
export type DedupUnitOutcome =
  | { joined: false; done: number; units: number }
  | ({ joined: true } & DedupCommitted);

/**
 * Deduplicate one slice of a big file, and when it completes the file's set of units, commit the joined payload
 * as a whole-file dedup does: the dedup run recorded and RecordsDeduplicated in the outbox, in one transaction.
 */
export async function processDedupUnit(
  unit: DedupUnit,
  deps: DedupDeps = sideEffects().dedup,
): Promise<DedupUnitOutcome> {
  if (!deps.units)
    throw new Error('The dedup unit worker runs without a unit ledger: its files table is not configured.');
  const end = await dedupUnit(unit, deps.ports, deps.config, deps.units.ledger);
  if (end.kind === 'waiting') return { joined: false, done: end.done, units: end.units };
  return { joined: true, ...(await commitPayload(end.input, end.origin, end.payload, deps)) };
}

/** The unit worker as an SQS consumer of its unit queue, keyed on file, run and unit. */
export function dedupUnitConsumer(
  deps: () => DedupDeps = () => sideEffects().dedup,
): ConsumerDefinition<DedupUnit, DedupUnitOutcome> {
  return {
    parse: (record) => DedupUnitSchema.parse(JSON.parse(record.body)),
    idempotencyKey: (unit) => `${unit.fileId}:${UNIT_WORKER}:${unit.runId}:${unit.index}`,
    fingerprint: (unit) => `${unit.fileId}:${unit.runId}:${unit.index}`,
    logKeys: (unit) => ({ runId: unit.runId, fileId: unit.fileId, unit: String(unit.index) }),
    process: (unit) => processDedupUnit(unit, deps()),
  };
}

const consumer = perEnvironment(() =>
  createSqsConsumer(dedupUnitConsumer(), { ...sideEffects().consumer, service: UNIT_WORKER }),
);

/** Lambda entry point (unit queue → SQS). Wiring is built on the first invocation. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
