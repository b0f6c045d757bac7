import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForTerminalFiles } from '../../cli/pipeline-state.ts';
import { FileLandedV1 } from '../../contracts/events/catalog.ts';
import { lambdaContext } from '../../runtime/lambda-shapes.ts';
import type { Runtime } from '../../runtime/runtime.ts';
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

const CALLER = 'arn:aws:sts::123456789012:assumed-role/FinanceOps/alice';

/** A function URL event (payload 2.0) as Lambda builds it for an IAM-signed POST. */
const urlEvent = (body: unknown, caller: string | null = CALLER) => ({
  version: '2.0',
  rawPath: '/',
  body: JSON.stringify(body),
  isBase64Encoded: false,
  requestContext: {
    http: { method: 'POST', path: '/' },
    ...(caller ? { authorizer: { iam: { userArn: caller } } } : {}),
  },
});

/** The Lambda handler as Lambda calls it: the event and a context with the function's timeout. */
const invoke = (runtime: Runtime, event: unknown) =>
  (handler as unknown as (event: unknown, context: Context) => Promise<{ statusCode: number; body: string }>)(
    event,
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

  it.each([
    [
      'a direct invoke (no caller identity)',
      { from: DATE, to: DATE, requestedBy: 'anyone' },
      /finledger rerun --stage/,
    ],
    ['a URL call without IAM authorisation', urlEvent({ from: DATE, to: DATE }, null), /no IAM caller/],
    [
      'a body naming its own requester',
      urlEvent({ from: DATE, to: DATE, requestedBy: 'bob' }),
      /from your signature/,
    ],
  ])('refuses %s with what to do, and moves nothing', async (_, event, reason) => {
    // Prepare
    const before = await registry(runtime).listDay(DATE);

    // Act
    const response = await invoke(runtime, event);

    // Assess
    expect(response.statusCode).toBe(400);
    expect((JSON.parse(response.body) as { error: string }).error).toMatch(reason);
    expect((await registry(runtime).listDay(DATE)).files).toEqual(before.files);
  });

  it('moves every file of the date into one run that the pipeline validates again to the same counts', async () => {
    // Prepare
    const before = await registry(runtime).listDay(DATE);
    expect(before.files).toHaveLength(sample.length);

    // Act
    const response = await invoke(runtime, urlEvent({ from: DATE, to: DATE }));
    const summary = JSON.parse(response.body) as RerunSummary;
    await waitForTerminalFiles(runtime, 60_000);
    await runtime.waitForIdle();

    // Assess: the summary, the run record, one FileLanded per file, and every file closed again as before.
    expect(summary).toMatchObject({ resumed: false, reopened: sample.length, alreadyInRun: 0, skipped: [] });
    expect((await runItems(runtime, summary.runId)).run).toMatchObject({
      requestedBy: CALLER,
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
