import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForTerminalFiles } from '../../cli/pipeline-state.ts';
import { FileLandedV1 } from '../../contracts/events/catalog.ts';
import { lambdaContext } from '../../runtime/lambda-shapes.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { RerunRequestError } from '../../services/rerun/errors.ts';
import { handler } from '../../services/rerun/handler.ts';
import type { RerunSummary } from '../../services/rerun/rerun-invocation.ts';
import { rerunProgress } from '../../services/rerun/rerun-progress.ts';
import { sideEffects } from '../../services/rerun/side-effects.ts';
import { topology } from '../../topology/topology.ts';
import { generateSampleSet } from '../sample-data/index.ts';
import { nextWeekday, runItems } from './rerun-support.ts';
import {
  archivedDetails,
  configureTestEnvironment,
  landAndSettle,
  registry,
  startTestPipeline,
} from './support.ts';

const DATE = nextWeekday(new Date());
const sample = generateSampleSet({ seed: 37, dates: [DATE], rowsPerFile: 6, defects: 'none' }).filter(
  (file) => !file.expected.redeliveryOf,
);
const spec = topology.workers.find((worker) => worker.name === 'rerun')!;

/** The Lambda handler as `aws lambda invoke` calls it: the payload and a context with the function's timeout. */
const invoke = (runtime: Runtime, payload: unknown) =>
  (handler as unknown as (event: unknown, context: Context) => Promise<RerunSummary>)(
    payload,
    lambdaContext({
      functionName: spec.name,
      timeoutSeconds: spec.function.timeoutSeconds,
      memoryMb: spec.function.memoryMb,
      region: runtime.resources.region,
    }),
  );

describe('the rerun Lambda handler on the offline runtime', () => {
  let runtime: Runtime;

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    await landAndSettle(runtime, sample);
    await runtime.waitForIdle();
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('refuses a payload without a requester and moves nothing', async () => {
    // Prepare
    const before = await registry(runtime).listDay(DATE);

    // Act
    const attempt = invoke(runtime, { from: DATE, to: DATE });

    // Assess
    await expect(attempt).rejects.toThrow(RerunRequestError);
    await expect(attempt).rejects.toThrow(/requestedBy/);
    expect((await registry(runtime).listDay(DATE)).files).toEqual(before.files);
  });

  it('moves every file of the date into one run that the pipeline validates again to the same counts', async () => {
    // Prepare
    const before = await registry(runtime).listDay(DATE);
    expect(before.files).toHaveLength(sample.length);

    // Act
    const summary = await invoke(runtime, { from: DATE, to: DATE, requestedBy: 'finance-oncall' });
    await waitForTerminalFiles(runtime, 60_000);
    await runtime.waitForIdle();

    // Assess: the summary, the run record, one FileLanded per file, and every file closed again as before.
    expect(summary).toMatchObject({ resumed: false, reopened: sample.length, alreadyInRun: 0, skipped: [] });
    expect((await runItems(runtime, summary.runId)).run).toMatchObject({
      requestedBy: 'finance-oncall',
      fileCount: sample.length,
      passes: 1,
    });
    const announced = (await archivedDetails(runtime, FileLandedV1)).filter(
      (event) => event.runId === summary.runId,
    );
    expect(announced.map((event) => event.producer)).toEqual(sample.map(() => 'rerun'));
    expect(await rerunProgress(summary.runId, sideEffects().rerun)).toMatchObject({
      members: sample.length,
      terminal: sample.length,
      done: true,
    });
    const after = await registry(runtime).listDay(DATE);
    const closedAs = (files: typeof before.files) =>
      files.map((file) => [file.fileId, file.stage, file.counts]).sort();
    expect(closedAs(after.files)).toEqual(closedAs(before.files));
    expect(after.files.every((file) => file.runId === summary.runId)).toBe(true);
  });
});
