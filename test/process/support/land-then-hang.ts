/**
 * Child process for the crash test: start the runtime on a state folder with only file-landing and no
 * outbox relay, land one file, wait until its FileLanded is committed PENDING in the outbox, print the
 * marker and hang. The test SIGKILLs this process at the marker: a crash between commit and publish.
 *
 * The marker waits for the landing invocation to finish too (its SQS message deleted), so this test is
 * about the outbox alone; a crash inside an invocation is test/process/inflight-recovery's subject.
 *
 * Usage: node --import tsx test/process/support/land-then-hang.ts <stateDir>
 */
import { landObjects } from '../../../cli/main-job.ts';
import { loadServiceHandlers } from '../../../runtime/handlers.ts';
import { silentLogger } from '../../../runtime/logger.ts';
import { startRuntime } from '../../../runtime/runtime.ts';
import { configureTestEnvironment } from '../../pipeline/support.ts';
import { COMMITTED_MARKER, type CommittedReport, crashSample } from './crash-sample.ts';
import { outboxOf } from './outbox.ts';

/** Never outlive a test that died without killing us. */
const SELF_DESTRUCT_MS = 120_000;

async function main(stateDir: string): Promise<void> {
  setTimeout(() => process.exit(3), SELF_DESTRUCT_MS).unref();
  configureTestEnvironment();
  const runtime = await startRuntime({
    stateDir,
    handlers: (topology, stage) => loadServiceHandlers(topology, stage, { services: ['file-landing'] }),
    workers: {},
    retryDelaySeconds: 0,
    logger: silentLogger,
  });
  const file = crashSample();
  await landObjects(runtime, [file]);

  const outbox = outboxOf(runtime);
  await runtime.waitForIdle({ timeoutMs: 60_000 });
  for (;;) {
    const landed = (await outbox.listPending()).find((item) => item.type === 'FileLanded');
    if (landed) {
      const detail = JSON.parse(landed.detail) as { data: { fileId: string } };
      const report: CommittedReport = {
        eventId: landed.eventId,
        fileId: detail.data.fileId,
        landingKey: file.landingKey,
        childPid: process.pid,
        dynamodbPid: runtime.emulators.dynamodbPid,
      };
      process.stdout.write(`${COMMITTED_MARKER}${JSON.stringify(report)}\n`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Hang with everything running; only SIGKILL (or the self-destruct timer) ends this process.
  setInterval(() => {}, 60_000);
}

const stateDir = process.argv[2];
if (!stateDir) {
  console.error('Usage: land-then-hang.ts <stateDir>');
  process.exit(2);
}
main(stateDir).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
