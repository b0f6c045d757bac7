import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_PARTNER_FILE_BYTES } from '../config/limits.ts';
import { maskCardNumbers } from '../lib/card-data/card-numbers.ts';
import { consumedQueueUrl } from '../runtime/consumers.ts';
import { queueDepths } from '../runtime/idle.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { landObject } from './main-job.ts';
import { printText } from './output.ts';
import { pipelineReport } from './pipeline-state.ts';
import { formatReport } from './report.ts';
import { landingKeyFor, snapshotFolder } from './watch/folder.ts';
import { IdleReporter } from './watch/idle-report.ts';
import { landDroppedFile, outcomeLine } from './watch/land-file.ts';
import { watchLines } from './watch/log-lines.ts';
import { SettleTracker } from './watch/settle.ts';

export interface WatchOptions {
  /** Largest file uploaded; larger ones are refused locally. Default: MAX_PARTNER_FILE_BYTES, what landing accepts. */
  readonly capBytes?: number;
  /** Time between two looks at the folder; a file lands once two looks in a row saw it unchanged. */
  readonly pollIntervalMs?: number;
  /** How long one wait for idle lasts before "still processing" is printed and the wait goes on. */
  readonly idleTimeoutMs?: number;
  /** Stops the watcher (tests); the CLI runs until SIGINT/SIGTERM stop the runtime. */
  readonly signal?: AbortSignal;
  readonly log?: { info(line: string): void; problem(line: string): void };
}

/**
 * `run --watch`: land every file dropped under `folder` as `inbound/<relative path>` and print the report whenever
 * the pipeline goes idle. No single file stops it: an over-cap file is refused locally, an error is printed with the
 * file's path, its cause and a next step, and the file stays where it is.
 *
 * Primary course, once per poll:
 * 1. Look at the folder; take the files unchanged since the last look and changed since they were last handled.
 * 2. Land each in turn (streamed; multipart above 8 MiB), or refuse it over the cap, or report why it failed.
 * 3. After a landing, wait for idle in the background and print the report; a wait that times out is reported.
 */
export async function watchLandingFolder(
  runtime: Runtime,
  folder: string,
  options: WatchOptions = {},
): Promise<number> {
  const capBytes = options.capBytes ?? MAX_PARTNER_FILE_BYTES;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  // Every line passes the one masking function (the report prints partner file names).
  const log = options.log ?? {
    info: printText,
    problem: (line: string) => console.error(maskCardNumbers(line)),
  };
  const tracker = new SettleTracker();
  const reporter = new IdleReporter(
    {
      waitForIdle: (timeoutMs) => runtime.waitForIdle({ timeoutMs }),
      pendingMessages: () => pendingMessages(runtime),
      report: async () => formatReport(await pipelineReport(runtime)),
      ...log,
    },
    options.idleTimeoutMs ?? 300_000,
  );
  await mkdir(folder, { recursive: true });
  log.info(watchLines.watching(folder, capBytes));
  while (!options.signal?.aborted) {
    const snapshot = await snapshotFolder(folder);
    for (const path of tracker.ready(snapshot)) {
      if (options.signal?.aborted) break;
      const state = snapshot.get(path);
      if (!state) continue;
      tracker.handled(path, state);
      const outcome = await landDroppedFile(
        { path, landingKey: landingKeyFor(folder, path), state },
        capBytes,
        (key, body) => landObject(runtime, key, body),
      );
      const { level, line } = outcomeLine(outcome, path, state.sizeBytes, capBytes);
      log[level](line);
      if (outcome.kind === 'landed' || outcome.kind === 'changed') reporter.request();
    }
    await sleep(pollIntervalMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
  reporter.stop();
  return 0;
}

/** Messages queued, in flight or delayed in the queues the runtime consumes. */
async function pendingMessages(runtime: Runtime): Promise<number> {
  const urls = Object.keys(runtime.pollers).flatMap(
    (name) => consumedQueueUrl(runtime.resources, name) ?? [],
  );
  const depths = await queueDepths(runtime.clients.sqs, urls);
  return depths.reduce((sum, depth) => sum + depth.visible + depth.inFlight + depth.delayed, 0);
}
