import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Runtime } from '../runtime/runtime.ts';
import { badFiles, generateSampleSet } from '../test/sample-data/index.ts';
import { pipelineReport, waitForTerminalFiles } from './pipeline-state.ts';
import { formatReport } from './report.ts';

/** The sample set `npm start` lands: several partners, two business dates, defects and a re-delivery. */
export function sampleDeliveries(): { landingKey: string; bytes: Uint8Array }[] {
  const set = generateSampleSet({
    seed: 20261123,
    dates: ['2026-11-19', '2026-11-20'],
    rowsPerFile: 250,
    cardNumbers: true,
  });
  return [...set, ...badFiles({ date: '2026-11-20' })].map(({ landingKey, bytes }) => ({
    landingKey,
    bytes,
  }));
}

/** Upload objects to the landing bucket in order; S3 notifications (the local bridge) trigger file-landing. */
export async function landObjects(
  runtime: Runtime,
  objects: readonly { landingKey: string; bytes: Uint8Array }[],
): Promise<void> {
  const bucket = runtime.resources.buckets.landing!.name;
  for (const object of objects) {
    await runtime.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: object.landingKey, Body: object.bytes }),
    );
  }
}

/**
 * The main job.
 *
 * Primary course:
 * 1. Land the sample set in the landing bucket.
 * 2. Wait until every landed file is VALIDATED or REJECTED (the watchdog re-drives stalls meanwhile).
 * 3. Print the per-file report; fail when a file stays open or its rows do not add up.
 */
export async function runMainJob(
  runtime: Runtime,
  options: { json: boolean; timeoutMs: number },
): Promise<number> {
  await landObjects(runtime, sampleDeliveries());
  await waitForTerminalFiles(runtime, options.timeoutMs);
  const report = await pipelineReport(runtime);
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
  const conserved = report.files.every((file) => file.conserved !== false);
  return report.totals.open === 0 && conserved ? 0 : 1;
}
