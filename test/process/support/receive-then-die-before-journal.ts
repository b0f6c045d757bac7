/**
 * Child process for the journal-gap test: start the runtime's emulators on a state folder, send one message
 * to a service queue, and run that queue's poller with a journal whose write never completes, so the
 * process holds a received message no journal names. Prints the marker with the message id at that point
 * and hangs; the test SIGKILLs it there.
 *
 * Usage: node --import tsx test/process/support/receive-then-die-before-journal.ts <stateDir>
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { silentLogger } from '../../../runtime/logger.ts';
import { startPoller } from '../../../runtime/poller.ts';
import { startRuntime } from '../../../runtime/runtime.ts';
import { topology } from '../../../topology/topology.ts';
import { HANGING_SERVICE, HOLDING_MARKER } from './holding.ts';

const SELF_DESTRUCT_MS = 120_000;

async function main(stateDir: string): Promise<void> {
  setTimeout(() => process.exit(3), SELF_DESTRUCT_MS).unref();
  // The runtime only provisions and owns the folder here; the poller below is started by hand.
  const runtime = await startRuntime({
    stateDir,
    handlers: {},
    workers: {},
    s3Notifications: false,
    logger: silentLogger,
  });
  const queue = runtime.resources.services[HANGING_SERVICE]?.queue;
  const service = topology.services.find((candidate) => candidate.name === HANGING_SERVICE);
  if (!queue || !service)
    throw new Error(`The topology has no ${HANGING_SERVICE} queue; check topology/topology.ts.`);
  await runtime.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{"gap":true}' }),
  );
  startPoller({
    functionName: 'journal-gap-probe',
    sqs: runtime.clients.sqs,
    queue,
    region: runtime.region,
    handler: async () => {
      throw new Error('The handler must never run: the process dies before its journal write.');
    },
    batchSize: 1,
    timeoutSeconds: service.function.timeoutSeconds,
    visibilityTimeoutSeconds: service.queue.visibilityTimeoutSeconds,
    journal: {
      record: async (entries) => {
        process.stdout.write(`${HOLDING_MARKER}${JSON.stringify({ messageId: entries[0]?.messageId })}\n`);
        return new Promise<number>(() => {});
      },
      clear: async () => {},
    },
    logger: silentLogger,
  });
  setInterval(() => {}, 60_000);
}

const stateDir = process.argv[2];
if (!stateDir) {
  console.error('Usage: receive-then-die-before-journal.ts <stateDir>');
  process.exit(2);
}
main(stateDir).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
