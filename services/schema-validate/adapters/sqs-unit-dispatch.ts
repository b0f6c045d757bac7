import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ChunkUnit } from '../chunks/chunked-validation.ts';

/** Attempts for entries SQS refused in a batch (throttling) before the dispatch fails and FileLanded is retried. */
const ATTEMPTS = 3;

/**
 * Send chunk units to the chunk worker's queue, ten per SendMessageBatch, resending the entries a batch refused.
 * Resolves once SQS accepted every unit; a throw leaves the FileLanded message to be retried, and the repeat sends
 * every unit again (a unit whose chunk has a result only looks for the join).
 * @example await sqsUnitDispatch(sqs, () => resources.unitQueueUrl('schema-validate-chunk'))(units)
 */
export function sqsUnitDispatch(sqs: SQSClient, queueUrl: () => string) {
  return async (units: readonly ChunkUnit[]): Promise<void> => {
    const url = queueUrl();
    for (let start = 0; start < units.length; start += 10) {
      let entries = units
        .slice(start, start + 10)
        .map((unit) => ({ Id: String(unit.index), MessageBody: JSON.stringify(unit) }));
      for (let attempt = 1; entries.length > 0; attempt += 1) {
        const { Failed = [] } = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }),
        );
        const refused = new Set(Failed.map((failure) => failure.Id));
        if (refused.size > 0 && attempt >= ATTEMPTS)
          throw new Error(
            `SQS refused ${refused.size} chunk unit(s) ${ATTEMPTS} times (${Failed[0]?.Code}: ${Failed[0]?.Message}); FileLanded is retried and sends them again.`,
          );
        entries = entries.filter((entry) => refused.has(entry.Id));
      }
    }
  };
}
