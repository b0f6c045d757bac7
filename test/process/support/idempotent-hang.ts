/**
 * Child process for the in-progress takeover test: start the runtime on a state folder with an idempotent
 * consumer whose use case never returns, send one probe message, print the marker once the idempotency
 * record is IN_PROGRESS and the use case holds the message, and hang. The test SIGKILLs this process there:
 * the record stays IN_PROGRESS until the function timeout (300 s) runs out.
 *
 * Usage: node --import tsx test/process/support/idempotent-hang.ts <stateDir> <probeKey>
 */
import { silentLogger } from '../../../runtime/logger.ts';
import { startRuntime } from '../../../runtime/runtime.ts';
import { idempotentProbe, PROBE_HOLDING_MARKER, PROBE_SERVICE, sendProbe } from './idempotent-probe.ts';

/** Never outlive a test that died without killing us. */
const SELF_DESTRUCT_MS = 120_000;

async function main(stateDir: string, probeKey: string): Promise<void> {
  setTimeout(() => process.exit(3), SELF_DESTRUCT_MS).unref();
  const runtime = await startRuntime({
    stateDir,
    handlers: {
      [PROBE_SERVICE]: idempotentProbe(async (_message, messageId) => {
        process.stdout.write(`${PROBE_HOLDING_MARKER}${messageId}\n`);
        await new Promise(() => {});
      }),
    },
    workers: {},
    s3Notifications: false,
    logger: silentLogger,
  });
  await sendProbe(runtime, probeKey);
  setInterval(() => {}, 60_000);
}

const [stateDir, probeKey] = process.argv.slice(2);
if (!stateDir || !probeKey) {
  console.error('Usage: idempotent-hang.ts <stateDir> <probeKey>');
  process.exit(2);
}
main(stateDir, probeKey).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
