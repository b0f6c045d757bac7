import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landObjects } from '../../cli/main-job.ts';
import {
  DatasetBlockedV1,
  DatasetReadyV1,
  FileLandedV1,
  FileRejectedV1,
  FileValidatedV1,
  RecordsDeduplicatedV1,
} from '../../contracts/events/catalog.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { waitFor } from '../../runtime/testing/helpers.ts';
import type { ReadyMarker } from '../../services/ready-publisher/ready-marker.ts';
import { startRerun } from '../../services/rerun/rerun.ts';
import { sideEffects } from '../../services/rerun/side-effects.ts';
import { generateSampleSet } from '../sample-data/index.ts';
import {
  filesPartition,
  nextWeekday,
  repeatedSettlements,
  rerunWithCli,
  runItems,
  snapshotObjects,
} from './rerun-support.ts';
import {
  archivedDetails,
  configureTestEnvironment,
  landAndSettle,
  listKeys,
  readObjectText,
  registry,
  startTestPipeline,
} from './support.ts';

const DATE = nextWeekday(new Date());
const sample = generateSampleSet({ seed: 29, dates: [DATE], rowsPerFile: 12, defects: 'none' }).filter(
  (file) => !file.expected.redeliveryOf,
);

describe('rerun of a business date on the offline runtime', () => {
  let runtime: Runtime;
  let before: {
    files: FileRecord[];
    dedup: Map<string, DedupRunRecord>;
    objects: Map<string, string>;
    ready: { runId: string; contentHash: string; markerKey: string };
    /** Failed gates of the latest transactions verdict (blocked: the sample set's settlements match too little). */
    transactionsFailedGates: string[];
  };
  let report: NonNullable<Awaited<ReturnType<typeof rerunWithCli>>['report']>;

  const settlementsReady = async () =>
    (await archivedDetails(runtime, DatasetReadyV1)).filter(
      (event) => event.data.dataset === 'settlements' && event.data.businessDate === DATE,
    );
  const day = () => registry(runtime).listDay(DATE);
  const currentDedup = (files: readonly FileRecord[], runs: readonly DedupRunRecord[]) =>
    new Map(
      files.flatMap((file) => {
        const run = runs.find(
          (candidate) => candidate.fileId === file.fileId && candidate.runId === file.runId,
        );
        return run ? [[file.fileId, run] as const] : [];
      }),
    );

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    await landAndSettle(runtime, [...sample, repeatedSettlements(sample, DATE)]);
    await runtime.waitForIdle();
    const ready = await settlementsReady();
    if (ready.length !== 1)
      throw new Error(`expected one DatasetReady for settlements ${DATE}, got ${ready.length}`);
    const listing = await day();
    const event = ready[0]!;
    const transactionsBlocked = (await archivedDetails(runtime, DatasetBlockedV1))
      .filter((detail) => detail.data.dataset === 'transactions' && detail.data.businessDate === DATE)
      .at(-1);
    before = {
      files: listing.files,
      dedup: currentDedup(listing.files, listing.dedupRuns),
      objects: await snapshotObjects(runtime, DATE),
      ready: {
        runId: event.data.runId,
        contentHash: event.data.contentHash,
        markerKey: event.data.marker.key,
      },
      transactionsFailedGates: transactionsBlocked?.data.failedGates.map((gate) => gate.name) ?? [],
    };
    const result = await rerunWithCli(runtime, { from: DATE, to: DATE });
    if (!result.report) throw new Error(`rerun printed no report: ${result.errors.join('\n')}`);
    expect(result.code).toBe(0);
    report = result.report;
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('moves every file of the date to one new run id, validated again from the same raw snapshot', async () => {
    // Prepare
    const { runId } = report.summary;
    const validated = (await archivedDetails(runtime, FileValidatedV1)).filter(
      (event) => event.runId === runId,
    );
    const rejected = (await archivedDetails(runtime, FileRejectedV1)).filter(
      (event) => event.runId === runId,
    );
    const landed = (await archivedDetails(runtime, FileLandedV1)).filter((event) => event.runId === runId);

    // Act
    const after = (await day()).files;

    // Assess
    expect(runId).toMatch(/^run_[0-9a-f]{32}$/);
    expect(before.files.map((file) => file.runId)).not.toContain(runId);
    expect(before.files).toHaveLength(sample.length + 1);
    expect(report.summary).toMatchObject({ reopened: before.files.length, alreadyInRun: 0, complete: true });
    expect((await runItems(runtime, runId)).members.map((member) => member.fileId).sort()).toEqual(
      before.files.map((file) => file.fileId).sort(),
    );
    expect(report.summary.skipped).toEqual([]);
    expect(report.progress).toMatchObject({
      members: before.files.length,
      terminal: before.files.length,
      done: true,
    });
    for (const file of after) {
      const earlier = before.files.find((candidate) => candidate.fileId === file.fileId)!;
      expect(file).toMatchObject({
        runId,
        stage: earlier.stage,
        counts: earlier.counts,
        landedAt: earlier.landedAt,
        raw: earlier.raw,
        sha256: earlier.sha256,
      });
      expect(file.openShard).toBeUndefined();
      const announced = landed.find((event) => event.data.fileId === file.fileId)!;
      expect(announced).toMatchObject({
        producer: 'rerun',
        data: { raw: earlier.raw, sha256: earlier.sha256 },
      });
      if (file.stage === 'VALIDATED') {
        const event = validated.find((candidate) => candidate.data.fileId === file.fileId)!;
        expect(event.data.counts).toEqual(earlier.counts);
        expect(event.data.silver.prefix).toContain(`/run_id=${runId}/`);
        const parts = await listKeys(runtime, event.data.silver.bucket, event.data.silver.prefix);
        expect(parts.length).toBeGreaterThan(0);
      } else {
        expect(rejected.map((event) => event.data.fileId)).toContain(file.fileId);
      }
    }
    expect(landed).toHaveLength(before.files.length);
  });

  it('reproduces every file counts and dedup classification, cross-file duplicates included', async () => {
    // Act
    const listing = await day();
    const dedup = currentDedup(listing.files, listing.dedupRuns);

    // Assess
    expect([...dedup.keys()].sort()).toEqual([...before.dedup.keys()].sort());
    for (const [fileId, run] of dedup) {
      const earlier = before.dedup.get(fileId)!;
      expect(run.runId).toBe(report.summary.runId);
      expect(run.counts).toEqual(earlier.counts);
      expect(run.totals).toEqual(earlier.totals);
      expect(run.unique.prefix).toContain(`/run_id=${report.summary.runId}/`);
    }
    const duplicates = [...dedup.values()].reduce((sum, run) => sum + run.counts.duplicates, 0);
    expect(duplicates).toBe(3);
    const reDeduplicated = (await archivedDetails(runtime, RecordsDeduplicatedV1)).filter(
      (event) => event.runId === report.summary.runId,
    );
    expect(reDeduplicated).toHaveLength(dedup.size);
  });

  it('leaves every object of the earlier run byte-identical and in place', async () => {
    // Act
    const after = await snapshotObjects(runtime, DATE);

    // Assess
    const changed = [...before.objects]
      .filter(([key, sha256]) => after.get(key) !== sha256)
      .map(([key]) => key);
    expect(changed).toEqual([]);
    const added = [...after.keys()].filter((key) => !before.objects.has(key));
    expect(added.length).toBeGreaterThan(0);
    // Everything new is under a new run's folder: validation and dedup under the rerun's id, gold under a new ready
    // run, match results under a new match run.
    for (const key of added)
      expect(key).toMatch(
        new RegExp(`/run_id=(${report.summary.runId}|ready_[0-9a-f]{24})/|/match_run_id=mr_`),
      );
    expect(added.some((key) => key.includes(`/run_id=${before.ready.runId}/`))).toBe(false);
  });

  it('publishes gold for the new ready run beside the old one, with an identical content hash', async () => {
    // Prepare
    const published = await settlementsReady();
    const latest = published.at(-1)!;
    const verdict = report.verdicts.find((entry) => entry.dataset === 'settlements')!;

    // Act
    const marker = JSON.parse(
      await readObjectText(runtime, latest.data.marker.bucket, latest.data.marker.key),
    ) as ReadyMarker;
    const oldMarker = JSON.parse(
      await readObjectText(runtime, latest.data.marker.bucket, before.ready.markerKey),
    ) as ReadyMarker;

    // Assess
    expect(latest.data.runId).not.toBe(before.ready.runId);
    expect(latest.data.contentHash).toBe(before.ready.contentHash);
    expect(marker).toMatchObject({ runId: latest.data.runId, contentHash: before.ready.contentHash });
    expect(oldMarker).toMatchObject({ runId: before.ready.runId, contentHash: before.ready.contentHash });
    expect(marker.parts.map((part) => part.sha256)).toEqual(oldMarker.parts.map((part) => part.sha256));
    expect(latest.data.marker.key).not.toBe(before.ready.markerKey);
    expect(verdict).toMatchObject({
      businessDate: DATE,
      current: { verdict: 'READY', runId: latest.data.runId, contentHash: before.ready.contentHash },
      previousReady: { runId: before.ready.runId, contentHash: before.ready.contentHash },
      sameContent: true,
    });
    expect(report.verdicts.map((entry) => entry.dataset).sort()).toEqual(['settlements', 'transactions']);
  });

  it('reaches the same verdict for a dataset that was blocked, on the same failed gates', () => {
    // Act
    const verdict = report.verdicts.find((entry) => entry.dataset === 'transactions');

    // Assess
    expect(before.transactionsFailedGates.length).toBeGreaterThan(0);
    expect(verdict).toMatchObject({
      businessDate: DATE,
      current: { verdict: 'BLOCKED', failedGates: before.transactionsFailedGates },
      previousReady: null,
      sameContent: null,
    });
  });

  it('keeps the earlier run of every file in the registry, and records the run', async () => {
    // Prepare
    const { runId } = report.summary;

    // Act
    const { run, members } = await runItems(runtime, runId);

    // Assess
    expect(run).toMatchObject({ kind: 'rerun', from: DATE, to: DATE, dataset: null, partner: null });
    expect(run?.fileCount).toBe(before.files.length);
    expect(members).toHaveLength(before.files.length);
    for (const earlier of before.files) {
      const history = await registry(runtime).runHistory(earlier.fileId);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({
        runId: earlier.runId,
        stage: earlier.stage,
        lastEventId: earlier.lastEventId,
        counts: earlier.counts ?? null,
        controlTotals: earlier.controlTotals ?? null,
        validTotals: earlier.validTotals ?? null,
        movedToRunId: runId,
      });
      expect(history[0]?.dedupEventId ?? null).toBe(before.dedup.get(earlier.fileId)?.eventId ?? null);
      // The earlier run's dedup record stays beside the new one.
      const items = await filesPartition(runtime, `FILE#${earlier.fileId}`);
      if (before.dedup.has(earlier.fileId))
        expect(items.map((item) => item.sk)).toEqual(
          expect.arrayContaining([`DEDUP#${earlier.runId}`, `DEDUP#${runId}`]),
        );
    }
  });

  it('does nothing twice when the same run id is resumed', async () => {
    // Prepare
    const landedBefore = (await archivedDetails(runtime, FileLandedV1)).length;
    const objectsBefore = await snapshotObjects(runtime, DATE);
    const readyBefore = (await settlementsReady()).length;

    // Act
    const resumed = await rerunWithCli(runtime, { from: DATE, to: DATE, runId: report.summary.runId });
    await runtime.waitForIdle();

    // Assess
    expect(resumed.code).toBe(0);
    expect(resumed.report?.summary).toMatchObject({
      runId: report.summary.runId,
      resumed: true,
      reopened: 0,
      alreadyInRun: before.files.length,
    });
    expect(resumed.report?.verdicts.find((entry) => entry.dataset === 'settlements')).toMatchObject({
      current: { verdict: 'READY', contentHash: before.ready.contentHash },
      sameContent: true,
    });
    expect((await archivedDetails(runtime, FileLandedV1)).length).toBe(landedBefore);
    expect(await snapshotObjects(runtime, DATE)).toEqual(objectsBefore);
    expect((await settlementsReady()).length).toBe(readyBefore);
    expect((await runItems(runtime, report.summary.runId)).run?.passes).toBe(2);
  });

  it('refuses to resume a run with another range, naming the recorded one', async () => {
    // Act
    const result = await rerunWithCli(runtime, {
      from: DATE,
      to: DATE,
      dataset: 'settlements',
      runId: report.summary.runId,
    });

    // Assess
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toContain(
      `was started for ${DATE}..${DATE}, every dataset, every partner`,
    );
  });
});

describe('rerun of a date with a file still open', () => {
  const OPEN_DATE = '2026-11-19';
  const [first, second] = generateSampleSet({
    seed: 31,
    dates: [OPEN_DATE],
    rowsPerFile: 5,
    defects: 'none',
  }).filter((file) => file.dataset === 'transactions' && !file.expected.redeliveryOf);
  let runtime: Runtime;

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('reopens the terminal file and refuses the open one with what to do, touching nothing of it', async () => {
    // Prepare: the first file closes; the second lands while nothing validates (its run stays open).
    await landAndSettle(runtime, [first!]);
    await runtime.pollers['schema-validate']!.stop();
    await landObjects(runtime, [second!]);
    let open: FileRecord | undefined;
    for (let attempt = 0; attempt < 100 && !open; attempt += 1) {
      open = (await day()).find((file) => file.fileName === second!.fileName);
      if (!open) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(open?.stage).toBe('LANDED');
    const closed = (await day()).find((file) => file.fileName === first!.fileName)!;

    // Act
    const outcome = await startRerun({ from: OPEN_DATE, to: OPEN_DATE }, sideEffects().rerun);

    // Assess
    expect(outcome.reopened.map((file) => file.fileId)).toEqual([closed.fileId]);
    expect(outcome.skipped).toHaveLength(1);
    expect(outcome.skipped[0]).toMatchObject({ fileId: open!.fileId, code: 'OPEN_IN_ANOTHER_RUN' });
    expect(outcome.skipped[0]?.reason).toContain(`still open in run ${open!.runId}`);
    expect(outcome.skipped[0]?.reason).toContain(`--run-id ${outcome.runId}`);
    expect(await registry(runtime).get(open!.fileId)).toEqual(open);
    expect(await registry(runtime).runHistory(open!.fileId)).toEqual([]);
    const { run, members } = await runItems(runtime, outcome.runId);
    expect(members.map((member) => member.fileId)).toEqual([closed.fileId]);
    expect(run).toMatchObject({ fileCount: 1, lastPass: { reopened: 1, alreadyInRun: 0, skipped: 1 } });
    expect(await registry(runtime).get(closed.fileId)).toMatchObject({
      runId: outcome.runId,
      stage: 'LANDED',
      openShard: 'OPEN',
      landedAt: closed.landedAt,
    });

    // Act again: resuming does not reopen the first file twice and still refuses the open one.
    const resumed = await startRerun(
      { from: OPEN_DATE, to: OPEN_DATE, runId: outcome.runId },
      sideEffects().rerun,
    );

    // Assess
    expect(resumed.reopened).toEqual([]);
    expect(resumed.alreadyInRun.map((file) => file.fileId)).toEqual([closed.fileId]);
    expect(resumed.skipped.map((file) => file.code)).toEqual(['OPEN_IN_ANOTHER_RUN']);
    // The relay publishes the outbox on its own loop (the runtime is not idle: nothing drains schema-validate).
    const landedForRun = async () =>
      (await archivedDetails(runtime, FileLandedV1)).filter((event) => event.runId === outcome.runId);
    await waitFor('the relay to publish the run’s FileLanded', async () => (await landedForRun()).length > 0);
    expect((await landedForRun()).map((event) => event.data.fileId)).toEqual([closed.fileId]);

    // Act again: the command waits for the run's open file (nothing validates it here) and says how to go on.
    const waited = await rerunWithCli(
      runtime,
      { from: OPEN_DATE, to: OPEN_DATE, runId: outcome.runId },
      2_000,
    );

    // Assess
    expect(waited.code).toBe(1);
    expect(waited.errors.join('\n')).toContain(
      `1 file(s) of run ${outcome.runId} are still open after 2 s: ${closed.fileId}`,
    );
    expect(waited.errors.join('\n')).toContain(
      `finledger rerun --run-id ${outcome.runId} --from ${OPEN_DATE}`,
    );
  });

  const day = async () => (await registry(runtime).listDay(OPEN_DATE)).files;
});
