import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { FileLandedV1, FileRejectedV1, FileValidatedV1 } from '../../contracts/events/catalog.ts';
import type { EventDetail } from '../../contracts/events/envelope.ts';
import { perEnvironment } from '../../lib/aws/clients.ts';
import { parseEventRecord } from '../../lib/consumer/eventbridge-record.ts';
import { type ConsumerDefinition, createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { createEvent, type EventOrigin } from '../../lib/outbox/event-factory.ts';
import { BUSINESS_METRICS } from '../../stacks/metrics.ts';
import type { ChunkedRunOrigin } from './chunks/chunk-ledger.ts';
import { dispatchChunks } from './chunks/chunked-validation.ts';
import { planFile } from './chunks/validate-in-chunks.ts';
import { type ValidateFileInput, type ValidationOutcome, validateFile } from './schema-validate.ts';
import { type SchemaValidateDeps, sideEffects } from './side-effects.ts';

export type FileLandedDetail = EventDetail<typeof FileLandedV1>;

/** What one record's processing returns (stored by Powertools idempotency, so JSON only). */
export type SchemaValidateResult = {
  fileId: string;
  runId: string;
  /** `planned`: the file is validated in chunks by the chunk worker, which commits the joined outcome. */
  outcome: 'validated' | 'rejected' | 'planned';
  code: string | null;
  /** False when this run had already closed the file (a redelivery after a crash): no second event. */
  committed: boolean;
  counts: { rowsIn: number; valid: number; quarantined: number };
  /** Chunks sent to the chunk worker (`planned` only). */
  chunks?: number;
};

/** The use-case input from a FileLanded v1 detail (payload + the envelope's runId). */
export function inputFromFileLanded(detail: FileLandedDetail): ValidateFileInput {
  const { data } = detail;
  return {
    fileId: data.fileId,
    sha256: data.sha256,
    partner: data.partner,
    dataset: data.dataset,
    businessDate: data.businessDate,
    schemaV: data.schemaV,
    raw: data.raw,
    runId: detail.runId,
  };
}

/**
 * Validate the landed file, then close its stage and put FileValidated or FileRejected in the outbox in
 * one transaction. Safe to repeat: parts are overwritten under the same keys, and a second commit of the
 * same run is recognised and skipped. A file above the chunking size is planned instead: its chunks go to the
 * chunk worker (`chunk-handler.ts`), whose last unit joins them and commits the same way.
 */
export async function processFileLanded(
  detail: FileLandedDetail,
  deps: SchemaValidateDeps = sideEffects().validate,
): Promise<SchemaValidateResult> {
  const input = inputFromFileLanded(detail);
  const origin = { correlationId: detail.correlationId, causationId: detail.eventId };
  let outcome: ValidationOutcome;
  if (deps.chunks) {
    const planned = await planFile(input, deps.ports, deps.config, deps.chunks.chunking);
    if (planned.kind === 'chunks') {
      const chunks = await dispatchChunks(input, origin, planned.plan, deps.chunks);
      return {
        fileId: input.fileId,
        runId: input.runId,
        outcome: 'planned',
        code: null,
        committed: false,
        counts: { rowsIn: 0, valid: 0, quarantined: 0 },
        chunks,
      };
    }
    outcome =
      planned.kind === 'refused' ? planned.outcome : await validateFile(input, deps.ports, deps.config);
  } else outcome = await validateFile(input, deps.ports, deps.config);
  return commitOutcome(input, origin, outcome, deps);
}

/** Close the file's stage with its outcome and put the announcing event in the outbox, in one transaction. */
export async function commitOutcome(
  input: ValidateFileInput,
  from: ChunkedRunOrigin,
  outcome: ValidationOutcome,
  deps: Pick<SchemaValidateDeps, 'commitStage'>,
): Promise<SchemaValidateResult> {
  const origin: EventOrigin = {
    producer: 'schema-validate',
    correlationId: from.correlationId,
    causationId: from.causationId,
    runId: input.runId,
  };
  const event =
    outcome.kind === 'validated'
      ? createEvent(FileValidatedV1, origin, outcome.payload)
      : createEvent(FileRejectedV1, origin, outcome.payload);
  const rejection =
    outcome.kind === 'rejected' ? { code: outcome.payload.code, reason: outcome.payload.reason } : undefined;
  const result = await deps.commitStage({
    fileId: input.fileId,
    runId: input.runId,
    stage: outcome.kind === 'validated' ? 'VALIDATED' : 'REJECTED',
    counts: { ...outcome.payload.counts },
    ...(rejection ? { rejection } : {}),
    ...(outcome.kind === 'validated'
      ? {
          totals: {
            controlTotals: outcome.payload.controlTotals,
            validTotals: outcome.payload.validTotals,
          },
        }
      : {}),
    event,
  });
  return {
    fileId: input.fileId,
    runId: input.runId,
    outcome: outcome.kind,
    code: rejection?.code ?? null,
    committed: result === 'committed',
    counts: { ...outcome.payload.counts },
  };
}

/**
 * Quarantined rows as a percentage of rows in, once per file closed (the quarantine-rate alarm's datapoint).
 * @returns whether a datapoint was added (a redelivery that closed nothing adds none).
 */
export function recordQuarantineRate(metrics: Metrics | undefined, result: SchemaValidateResult): boolean {
  if (!metrics || !result.committed || result.counts.rowsIn === 0) return false;
  metrics.addMetric(
    BUSINESS_METRICS.names.QuarantineRate,
    MetricUnit.Percent,
    (100 * result.counts.quarantined) / result.counts.rowsIn,
  );
  return true;
}

/** schema-validate as an idempotent SQS consumer of FileLanded v1, keyed on file + stage + run. */
export function schemaValidateConsumer(
  deps: () => SchemaValidateDeps = () => sideEffects().validate,
  metrics: (() => Metrics | undefined) | undefined = () => sideEffects().metrics,
): ConsumerDefinition<FileLandedDetail, SchemaValidateResult> {
  return {
    parse: (record) => Object.freeze(parseEventRecord(record, FileLandedV1)),
    idempotencyKey: (detail) => `${detail.data.fileId}:schema-validate:${detail.runId}`,
    fingerprint: (detail) =>
      `${detail.data.sha256}:${detail.data.raw.bucket}/${detail.data.raw.key}:${detail.data.schemaV}`,
    logKeys: (detail) => ({
      correlationId: detail.correlationId,
      runId: detail.runId,
      fileId: detail.data.fileId,
    }),
    process: async (detail) => {
      const result = await processFileLanded(detail, deps());
      const sink = metrics?.();
      // Published here, only when there is a datapoint: an empty flush logs a warning on every redelivery.
      if (recordQuarantineRate(sink, result)) sink?.publishStoredMetrics();
      return result;
    },
  };
}

const consumer = perEnvironment(() => createSqsConsumer(schemaValidateConsumer(), sideEffects().consumer));

/** Lambda entry point (FileLanded → EventBridge → SQS). Wiring is built on the first invocation. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
