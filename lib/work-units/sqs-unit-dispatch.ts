import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Attempts for entries SQS refused in a batch (throttling) before the dispatch fails and its cause is retried. */
const ATTEMPTS = 3;

/**
 * Send work units to a worker's queue, ten per SendMessageBatch, resending the entries a batch refused.
 * Resolves once SQS accepted every unit; a throw leaves the message that caused the dispatch (`cause`, e.g.
 * FileLanded) to be retried, and the repeat sends every unit again (a unit whose result is recorded only looks
 * for the join).
 * @example await sqsUnitDispatch(sqs, () => resources.unitQueueUrl('schema-validate-chunk'), 'FileLanded')(units)
 */
export function sqsUnitDispatch(sqs: SQSClient, queueUrl: () => string, cause: string) {
  return async (units: readonly { readonly index: number }[]): Promise<void> => {
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
            `SQS refused ${refused.size} work unit(s) ${ATTEMPTS} times (${Failed[0]?.Code}: ${Failed[0]?.Message}); ${cause} is retried and sends them again.`,
          );
        entries = entries.filter((entry) => refused.has(entry.Id));
      }
    }
  };
}
