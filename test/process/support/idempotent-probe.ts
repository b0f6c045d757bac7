import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { sharedAwsClients } from '../../../lib/aws/clients.ts';
import { idempotencyStore } from '../../../lib/consumer/idempotency-store.ts';
import { createSqsConsumer } from '../../../lib/consumer/sqs-consumer.ts';
import { serviceLogger } from '../../../lib/logging/service-logger.ts';
import { resources } from '../../../lib/resources.ts';
import type { SqsHandler } from '../../../runtime/lambda-shapes.ts';
import type { Runtime } from '../../../runtime/runtime.ts';

/** The line the idempotent child prints, followed by the message id, once its use case holds the record. */
export const PROBE_HOLDING_MARKER = 'PROBE-HOLDING ';

/** The line a child prints, followed by the message id, when its use case returns. */
export const PROBE_FINISHED_MARKER = 'PROBE-FINISHED ';

/** The service whose queue carries the probe message (any service with a queue would do). */
export const PROBE_SERVICE = 'file-landing';

/** The business key both processes compute from the probe message, as a real consumer would. */
export interface ProbeMessage {
  readonly probeKey: string;
}

/**
 * A real idempotent SQS consumer (Powertools batch + idempotency on the runtime's DynamoDB table), with the
 * use case supplied by the caller: the crashed process's use case hangs, the restarted one's records.
 * Built on first call, after the runtime has set the resource environment.
 */
export function idempotentProbe(
  process: (record: ProbeMessage, messageId: string) => Promise<void>,
): SqsHandler {
  let consumer: ReturnType<typeof createSqsConsumer<{ message: ProbeMessage; messageId: string }, string>>;
  return (event, context) => {
    consumer ??= createSqsConsumer(
      {
        parse: (record: SQSRecord) => ({
          message: JSON.parse(record.body) as ProbeMessage,
          messageId: record.messageId,
        }),
        idempotencyKey: ({ message }) => message.probeKey,
        fingerprint: ({ message }) => message.probeKey,
        logKeys: ({ message }) => ({ probeKey: message.probeKey }),
        process: async ({ message, messageId }) => {
          await process(message, messageId);
          return 'done';
        },
      },
      {
        service: 'crash-probe',
        persistenceStore: idempotencyStore(sharedAwsClients().dynamodb, resources.table('idempotency')),
        logger: serviceLogger('crash-probe'),
      },
    );
    return consumer.bare(event, context);
  };
}

/** Send the one probe message to the probe service's queue of a running runtime. */
export async function sendProbe(runtime: Runtime, probeKey: string): Promise<void> {
  const queueUrl = runtime.resources.services[PROBE_SERVICE]?.queue.url;
  if (!queueUrl) throw new Error(`The topology has no ${PROBE_SERVICE} queue; check topology/topology.ts.`);
  const probe: ProbeMessage = { probeKey };
  await runtime.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(probe) }),
  );
}
