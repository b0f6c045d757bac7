/**
 * Child process for the in-flight recovery test: start the runtime on a state folder with a file-landing
 * handler that never returns, send one message to the file-landing queue, print the marker once the
 * handler holds it, and hang. The test SIGKILLs this process at the marker: a crash mid-invocation, with
 * the message in flight for the queue's visibility timeout (12 min).
 *
 * Usage: node --import tsx test/process/support/receive-then-hang.ts <stateDir>
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { silentLogger } from '../../../runtime/logger.ts';
import { startRuntime } from '../../../runtime/runtime.ts';
import { HANGING_SERVICE, HOLDING_MARKER, type HoldingReport } from './holding.ts';

/** Never outlive a test that died without killing us. */
const SELF_DESTRUCT_MS = 120_000;

async function main(stateDir: string): Promise<void> {
  setTimeout(() => process.exit(3), SELF_DESTRUCT_MS).unref();
  let dynamodbPid = 0;
  const runtime = await startRuntime({
    stateDir,
    handlers: {
      [HANGING_SERVICE]: async (event) => {
        const [record] = event.Records;
        if (!record) throw new Error('The poller invoked the handler with an empty batch.');
        const report: HoldingReport = {
          messageId: record.messageId,
          body: record.body,
          receiveCount: record.attributes.ApproximateReceiveCount,
          dynamodbPid,
        };
        process.stdout.write(`${HOLDING_MARKER}${JSON.stringify(report)}\n`);
        // Hang like a stuck invocation; only SIGKILL (or the self-destruct timer) ends this process.
        await new Promise(() => {});
      },
    },
    workers: {},
    s3Notifications: false,
    logger: silentLogger,
  });
  dynamodbPid = runtime.emulators.dynamodbPid;
  const queueUrl = runtime.resources.services[HANGING_SERVICE]?.queue.url;
  if (!queueUrl) throw new Error(`The topology has no ${HANGING_SERVICE} queue; check topology/topology.ts.`);
  await runtime.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ sentBy: process.pid }) }),
  );
  setInterval(() => {}, 60_000);
}

const stateDir = process.argv[2];
if (!stateDir) {
  console.error('Usage: receive-then-hang.ts <stateDir>');
  process.exit(2);
}
main(stateDir).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
