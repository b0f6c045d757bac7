/**
 * Child process for the graceful-stop test: start the runtime on a state folder with an idempotent consumer
 * and the stop `npm start` installs, send one probe message, print the marker once the use case holds it,
 * and let the use case finish only after SIGTERM has arrived. A graceful stop lets it finish and lets
 * Powertools write the COMPLETED record before DynamoDB Local stops; a hard one loses that write.
 *
 * Usage: node --import tsx test/process/support/idempotent-sigterm.ts <stateDir> <probeKey>
 */
import { stopGracefullyOnSignals } from '../../../runtime/graceful-stop.ts';
import { silentLogger } from '../../../runtime/logger.ts';
import { startRuntime } from '../../../runtime/runtime.ts';
import {
  idempotentProbe,
  PROBE_FINISHED_MARKER,
  PROBE_HOLDING_MARKER,
  PROBE_SERVICE,
  sendProbe,
} from './idempotent-probe.ts';

/** Never outlive a test that died without killing us. */
const SELF_DESTRUCT_MS = 120_000;

async function main(stateDir: string, probeKey: string): Promise<void> {
  setTimeout(() => process.exit(3), SELF_DESTRUCT_MS).unref();
  const signalled = new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  const runtime = await startRuntime({
    stateDir,
    handlers: {
      [PROBE_SERVICE]: idempotentProbe(async (_message, messageId) => {
        process.stdout.write(`${PROBE_HOLDING_MARKER}${messageId}\n`);
        await signalled;
        process.stdout.write(`${PROBE_FINISHED_MARKER}${messageId}\n`);
      }),
    },
    workers: {},
    s3Notifications: false,
    logger: { ...silentLogger, error: (message, data) => console.error(message, JSON.stringify(data)) },
  });
  stopGracefullyOnSignals(runtime);
  await sendProbe(runtime, probeKey);
  setInterval(() => {}, 60_000);
}

const [stateDir, probeKey] = process.argv.slice(2);
if (!stateDir || !probeKey) {
  console.error('Usage: idempotent-sigterm.ts <stateDir> <probeKey>');
  process.exit(2);
}
main(stateDir, probeKey).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
