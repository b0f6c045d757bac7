import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipelineReport, registryOf } from '../../../cli/pipeline-state.ts';
import { ScenarioClock } from '../../../runtime/scenario-clock.ts';
import type { PartnerCounts } from '../day-counts.ts';
import type { DayManifest } from '../generate/day-truth.ts';
import { asActor, BENCH_ACTOR, LANDING_ACTOR } from './actor-context.ts';
import { deliverDay } from './deliver-day.ts';
import { startInstrumentedPipeline } from './instrumented-pipeline.ts';
import type { InvocationTally } from './invocation-meter.ts';
import { type KeyHistorySize, keyHistorySize } from './key-history-size.ts';
import { reportedCounts } from './reported-day.ts';
import type { CallTally } from './request-counter.ts';
import { type StageSpan, stageTimeline } from './stage-timeline.ts';
import { type CurrentVerdict, waitForCurrentVerdicts } from './wait-for-verdicts.ts';

/** What one end-to-end run of a generated day measured and what the pipeline reported. */
export interface EndToEndResult {
  /** First upload started → last verdict on current facts committed. */
  readonly seconds: number;
  /** First upload started → last upload acknowledged. */
  readonly uploadSeconds: number;
  readonly verdicts: readonly CurrentVerdict[];
  /** `finledger status` attention items after the run (empty: the day is complete). */
  readonly attention: readonly string[];
  readonly reported: readonly PartnerCounts[];
  readonly requests: readonly CallTally[];
  readonly invocations: readonly InvocationTally[];
  readonly keyHistory: KeyHistorySize;
  readonly stages: readonly StageSpan[];
}

/**
 * The day end to end on the offline runtime.
 *
 * Primary course:
 * 1. Start the pipeline as `npm start` does, on a fresh temporary state folder, with counters attached.
 * 2. Upload every file of the day to the landing bucket (the clock starts at the first upload).
 * 3. Wait until every file is terminal and each dataset has its verdict on current facts with the runtime idle.
 * 4. Stop counting; read the report, the key history and the bus archive; stop the runtime; remove the state folder.
 */
export async function runEndToEnd(
  manifest: DayManifest,
  timeoutMs: number,
  /** Told when the timed phase starts and ends (the bench child forwards it to the RSS sampler). */
  measuring: (on: boolean) => void = () => {},
): Promise<EndToEndResult> {
  const stateDir = await mkdtemp(join(tmpdir(), 'finledger-bench-state-'));
  const clock = new ScenarioClock();
  const { runtime, requests, invocations } = await startInstrumentedPipeline(stateDir, clock);
  try {
    measuring(true);
    requests.start();
    invocations.start();
    const startedAt = Date.now();
    await asActor(LANDING_ACTOR, () => deliverDay(runtime, clock, manifest));
    const uploadedAt = Date.now();
    const verdicts = await asActor(BENCH_ACTOR, () =>
      waitForCurrentVerdicts(runtime, {
        files: manifest.files.length,
        businessDate: manifest.businessDate,
        timeoutMs,
      }),
    );
    requests.stop();
    invocations.stop();
    measuring(false);
    const decidedAt = Math.max(...verdicts.map((verdict) => Date.parse(verdict.committedAt)));
    return await asActor(BENCH_ACTOR, async () => {
      const report = await pipelineReport(runtime);
      const files = await registryOf(runtime).listAll();
      return {
        seconds: (decidedAt - startedAt) / 1000,
        uploadSeconds: (uploadedAt - startedAt) / 1000,
        verdicts,
        attention: report.attention.map((item) => JSON.stringify(item)),
        reported: reportedCounts(report, files, manifest.businessDate),
        requests: requests.results(),
        invocations: invocations.results(),
        keyHistory: await keyHistorySize(runtime),
        stages: stageTimeline(await runtime.bus.archive.read(), startedAt),
      };
    });
  } finally {
    measuring(false);
    await runtime.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}
