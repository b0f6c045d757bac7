import { type ObjectBody, type WriteMethod, writeObject } from '../lib/aws/write-object.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { ScenarioClock } from '../runtime/scenario-clock.ts';
import { generateScenario, type Scenario } from '../test/sample-data/scenario.ts';
import { printJson, printText } from './output.ts';
import { pipelineReport, waitForTerminalFiles } from './pipeline-state.ts';
import { formatReport, reportExitCode } from './report.ts';

/** The sample set `npm start` delivers: fixed, so every run and every machine gets the same answer. */
export const MAIN_JOB_SCENARIO = { seed: 20261123, transactionsPerFile: 400 } as const;

/** The main job's deliveries and their ground truth (test/sample-data/scenario.ts). */
export const mainJobScenario = (): Scenario => generateScenario(MAIN_JOB_SCENARIO);

/**
 * Upload one object to the landing bucket (multipart above 8 MiB, see `writeObject`); S3 notifications (the local
 * bridge) trigger file-landing.
 */
export function landObject(runtime: Runtime, landingKey: string, body: ObjectBody): Promise<WriteMethod> {
  return writeObject(runtime.clients.s3, {
    Bucket: runtime.resources.buckets.landing!.name,
    Key: landingKey,
    Body: body,
  });
}

/** Upload objects to the landing bucket in order. */
export async function landObjects(
  runtime: Runtime,
  objects: readonly { landingKey: string; bytes: Uint8Array }[],
): Promise<void> {
  for (const object of objects) await landObject(runtime, object.landingKey, object.bytes);
}

/**
 * Deliver the scenario wave by wave, each upload at its simulated time (the S3 event time the cut-off gates
 * compare), waiting for every file to close between waves so cross-day duplicates meet their originals in order.
 */
export async function deliverScenario(
  runtime: Runtime,
  clock: ScenarioClock,
  scenario: Scenario,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const wave of [1, 2, 3] as const) {
    for (const delivery of scenario.deliveries.filter((item) => item.wave === wave)) {
      await clock.jumpTo(delivery.at);
      await landObjects(runtime, [delivery]);
    }
    await waitForTerminalFiles(runtime, Math.max(1_000, deadline - Date.now()));
  }
}

/**
 * The main job.
 *
 * Primary course:
 * 1. Deliver the sample scenario (two business days of three partners with known defects, a late file, a
 *    re-delivery and a day of hostile files) at its simulated delivery times.
 * 2. Wait until every file is terminal and the chain (dedup → match → reconcile → ready) is idle.
 * 3. Print the data-quality report per dataset and business date, led by what makes it incomplete.
 *
 * Exit 1 when a file's rows do not add up; 3 when the report has attention items (a DLQ message, queued work,
 * an open file, a figure not on current facts): the day is not complete, and each item names its next step.
 */
export async function runMainJob(
  runtime: Runtime,
  clock: ScenarioClock,
  options: { json: boolean; timeoutMs: number },
): Promise<number> {
  await deliverScenario(runtime, clock, mainJobScenario(), options.timeoutMs);
  const report = await pipelineReport(runtime);
  if (options.json) printJson(report);
  else printText(formatReport(report));
  return reportExitCode(report);
}
