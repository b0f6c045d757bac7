import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { FileValidatedV1 } from '../../contracts/events/catalog.ts';
import type { EventDetail } from '../../contracts/events/envelope.ts';
import { perEnvironment } from '../../lib/aws/clients.ts';
import { parseEventRecord } from '../../lib/consumer/eventbridge-record.ts';
import { type ConsumerDefinition, createSqsConsumer } from '../../lib/consumer/sqs-consumer.ts';
import { type DedupFileInput, dedupFile, type RecordsDeduplicatedPayload } from './dedup.ts';
import { recordsDeduplicatedEvent } from './records-deduplicated-event.ts';
import { type DedupDeps, sideEffects } from './side-effects.ts';
import { type DedupUnitsOrigin, dispatchDedupUnits } from './units/dedup-units.ts';

export type FileValidatedDetail = EventDetail<typeof FileValidatedV1>;

/** A file's dedup run committed (stored by Powertools idempotency, so JSON only). */
export type DedupCommitted = {
  fileId: string;
  runId: string;
  /** False when this run had already committed (a redelivery after a crash): no second event. */
  committed: boolean;
  counts: { valid: number; unique: number; duplicates: number; conflicts: number };
};

/** What one record's processing returns: the commit, or the units the file was cut into. */
export type DedupResult =
  | DedupCommitted
  | {
      fileId: string;
      runId: string;
      /** The file is deduplicated in this many units by the unit worker, which commits the joined payload. */
      units: number;
    };

/** The use-case input from a FileValidated v1 detail (payload + the envelope's runId). */
export function inputFromFileValidated(detail: FileValidatedDetail): DedupFileInput {
  const { data } = detail;
  return {
    fileId: data.fileId,
    partner: data.partner,
    dataset: data.dataset,
    businessDate: data.businessDate,
    schemaV: data.schemaV,
    sha256: data.sha256,
    runId: detail.runId,
    valid: data.counts.valid,
    silver: data.silver,
  };
}

/**
 * Deduplicate the validated file, then record it and put RecordsDeduplicated in the outbox in one transaction.
 * Safe to repeat: the file's own keys classify the same again, parts are overwritten under the same keys, and a
 * second commit of the same run is recognised and skipped.
 */
export async function processFileValidated(
  detail: FileValidatedDetail,
  deps: DedupDeps = sideEffects().dedup,
): Promise<DedupResult> {
  const input = inputFromFileValidated(detail);
  const origin = { correlationId: detail.correlationId, causationId: detail.eventId };
  if (deps.units && input.valid > deps.units.sizes.aboveRows) {
    const units = await dispatchDedupUnits(input, origin, deps.config, deps.units);
    return { fileId: input.fileId, runId: input.runId, units };
  }
  return commitPayload(input, origin, await dedupFile(input, deps.ports, deps.config), deps);
}

/**
 * Record the file's dedup run and put RecordsDeduplicated in the outbox, in one transaction: for a file
 * deduplicated whole, and for the joined units of a big one (units/dedup-units.ts). Part lists too long for the bus
 * go to parts manifests first, and the event is then v2 (`recordsDeduplicatedEvent`).
 */
export async function commitPayload(
  input: DedupFileInput,
  origin: DedupUnitsOrigin,
  payload: RecordsDeduplicatedPayload,
  deps: DedupDeps,
): Promise<DedupCommitted> {
  const event = await recordsDeduplicatedEvent(
    payload,
    {
      producer: 'dedup',
      correlationId: origin.correlationId,
      causationId: origin.causationId,
      runId: input.runId,
    },
    deps.ports.objects,
    deps.config.partsListedInlineMax,
  );
  const result = await deps.commit({ event });
  return {
    fileId: input.fileId,
    runId: input.runId,
    committed: result === 'committed',
    counts: { ...event.data.counts },
  };
}

/** dedup as an idempotent SQS consumer of FileValidated v1, keyed on file + stage + run. */
export function dedupConsumer(
  deps: () => DedupDeps = () => sideEffects().dedup,
): ConsumerDefinition<FileValidatedDetail, DedupResult> {
  return {
    parse: (record) => Object.freeze(parseEventRecord(record, FileValidatedV1)),
    idempotencyKey: (detail) => `${detail.data.fileId}:dedup:${detail.runId}`,
    // The claim check itself: a reused key pointing at other bytes or other parts fails loudly.
    fingerprint: (detail) =>
      `${detail.data.sha256}:${detail.data.silver.bucket}:${detail.data.silver.parts.join(',')}`,
    logKeys: (detail) => ({
      correlationId: detail.correlationId,
      runId: detail.runId,
      fileId: detail.data.fileId,
    }),
    process: (detail) => processFileValidated(detail, deps()),
  };
}

const consumer = perEnvironment(() => createSqsConsumer(dedupConsumer(), sideEffects().consumer));

/** Lambda entry point (FileValidated → EventBridge → SQS). Wiring is built on the first invocation. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  consumer().handler(event, context);
