import { BENCH_ACTOR, RUNTIME_ACTOR } from '../e2e/actor-context.ts';
import type { CallTally } from '../e2e/request-counter.ts';

/**
 * How a counted call maps to an AWS bill:
 * - `per-record`: work a deployment does for the day's records and files; scaled with the records.
 * - `idle-polling`: a receive or outbox sweep that found nothing; a function of time and queues, not of records.
 * - `schedule`: the completeness watchdog (every 5 minutes in AWS, every 5 s offline): a fixed cost, left out.
 * - `offline-only`: the runtime standing in for something AWS does for free or not at all (S3's EventBridge
 *   notifications, the pollers' in-flight journal holds, idle checks).
 * - `bench`: the bench's own polling and reading; never counted.
 */
export type BillingClass = 'per-record' | 'idle-polling' | 'schedule' | 'offline-only' | 'bench';

const OFFLINE_ONLY_RUNTIME_CALLS = new Set([
  'HeadObject',
  'ChangeMessageVisibilityBatch',
  'GetQueueAttributes',
]);

/** The billing class of a tally (empty polls are tallied apart by the counter's `(empty)` operation suffix). */
export function billingClassOf(tally: CallTally): BillingClass {
  if (tally.actor === BENCH_ACTOR) return 'bench';
  if (tally.actor === 'completeness-watchdog') return 'schedule';
  if (tally.actor === RUNTIME_ACTOR && OFFLINE_ONLY_RUNTIME_CALLS.has(tally.operation)) return 'offline-only';
  const polling = tally.actor === RUNTIME_ACTOR || tally.actor === 'outbox-relay';
  if (polling && tally.operation.endsWith('(empty)')) return 'idle-polling';
  return 'per-record';
}

/** S3 request classes (S3 pricing: PUT, COPY, POST, LIST; GET and all others; DELETE and CANCEL free). */
export function s3RequestClass(operation: string): 'put' | 'get' | 'free' {
  if (/^(Delete|AbortMultipartUpload)/.test(operation)) return 'free';
  if (/^(Put|Copy|CreateMultipartUpload|UploadPart|CompleteMultipartUpload|List)/.test(operation))
    return 'put';
  return 'get';
}

/** What the AWS call is billed as, in its own unit: capacity units, requests, or events. */
export function billedUnits(tally: CallTally): { unit: string; amount: number } {
  const operation = tally.operation.replace(/ \(empty\)$/, '');
  switch (tally.service) {
    case 'DynamoDB':
      return { unit: 'RRU+WRU', amount: tally.readUnits + tally.writeUnits };
    case 'S3':
      return { unit: `${s3RequestClass(operation)} requests`, amount: tally.attempts };
    case 'SQS':
      return { unit: 'requests', amount: tally.attempts };
    case 'EventBridge':
      return { unit: 'events', amount: tally.entries };
  }
}
