import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { perEnvironment } from '../../lib/aws/clients.ts';
import { type ConsumerDefinition, createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { type ChunkUnit, ChunkUnitSchema, validateUnit } from './chunks/chunked-validation.ts';
import { commitOutcome, recordQuarantineRate, type SchemaValidateResult } from './handler.ts';
import { type SchemaValidateDeps, sideEffects } from './side-effects.ts';

/** What one unit's processing returns (stored by Powertools idempotency, so JSON only). */
export type ChunkUnitResult =
  | { joined: false; done: number; chunks: number }
  | ({ joined: true } & SchemaValidateResult);

/**
 * Validate one unit, and when it completes the file's set of chunks, commit the joined outcome as a whole-file
 * validation does: stage closed and FileValidated / FileRejected in the outbox, in one transaction.
 */
export async function processChunkUnit(
  unit: ChunkUnit,
  deps: SchemaValidateDeps = sideEffects().validate,
): Promise<ChunkUnitResult> {
  const ledger =
    deps.chunks?.ledger ??
    (() => {
      throw new Error('The chunk worker runs without a chunk ledger: its files table is not configured.');
    })();
  const end = await validateUnit(unit, deps.ports, deps.config, ledger);
  if (end.kind === 'waiting') return { joined: false, done: end.done, chunks: end.chunks };
  return { joined: true, ...(await commitOutcome(end.file, end.origin, end.outcome, deps)) };
}

/** The chunk worker as an SQS consumer of its unit queue, keyed on file, run and chunk. */
export function chunkUnitConsumer(
  deps: () => SchemaValidateDeps = () => sideEffects().validate,
): ConsumerDefinition<ChunkUnit, ChunkUnitResult> {
  return {
    parse: (record) => ChunkUnitSchema.parse(JSON.parse(record.body)),
    idempotencyKey: (unit) => `${unit.fileId}:schema-validate-chunk:${unit.runId}:${unit.index}`,
    fingerprint: (unit) => `${unit.fileId}:${unit.runId}:${unit.index}`,
    logKeys: (unit) => ({ runId: unit.runId, fileId: unit.fileId, chunk: String(unit.index) }),
    process: async (unit) => {
      const result = await processChunkUnit(unit, deps());
      if (result.joined) {
        const sink = sideEffects().metrics;
        if (recordQuarantineRate(sink, result)) sink.publishStoredMetrics();
      }
      return result;
    },
  };
}

const consumer = perEnvironment(() =>
  createSqsConsumer(chunkUnitConsumer(), { ...sideEffects().consumer, service: 'schema-validate-chunk' }),
);

/** Lambda entry point (unit queue → SQS). Wiring is built on the first invocation. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
