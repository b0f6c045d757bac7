import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lineageCommand } from '../../cli/commands/lineage.ts';
import { gatherLineageFacts, lineageSourcesOf } from '../../cli/lineage/gather.ts';
import { type LineageReport, traceRecord } from '../../cli/lineage/trace.ts';
import { DatasetReadyV1, FileLandedV1, FileValidatedV1 } from '../../contracts/events/catalog.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { generateSampleSet } from '../sample-data/index.ts';
import { nextWeekday, rerunWithCli } from './rerun-support.ts';
import { rowsOf } from './scenario-support.ts';
import { archivedDetails, configureTestEnvironment, landAndSettle, startTestPipeline } from './support.ts';

/** A weekday whose settlements are published (every partner's file lands before its cut-off), and a later one. */
const DATE = nextWeekday(new Date());
const LATER = nextWeekday(new Date(`${DATE}T12:00:00Z`));
const sample = generateSampleSet({ seed: 37, dates: [DATE], rowsPerFile: 12, defects: 'none' }).filter(
  (file) => !file.expected.redeliveryOf,
);
const present = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`the sample set has no ${what}`);
  return value;
};
const globexSettlements = present(
  sample.find((file) => file.partner === 'globex-pay' && file.dataset === 'settlements'),
  'globex-pay settlements file',
);
const settlement = present(rowsOf(globexSettlements)[0], 'globex-pay settlement');

/** One more unit of the amount's integer part, in the same notation (so the currency's decimals still fit). */
const otherAmount = (amount: string) =>
  amount.replace(/^(-?)(\d+)/, (_, sign: string, units: string) => `${sign}${BigInt(units) + 1n}`);

/**
 * A globex-pay settlements file of a later date repeating the date's first settlement with another amount: a
 * cross-day conflict against the first file, which owns the key (globex-pay's trailer is optional).
 */
function conflictingFile(): { landingKey: string; bytes: Uint8Array } {
  const text = Buffer.from(globexSettlements.bytes).toString('latin1');
  const ending = text.includes('\r\n') ? '\r\n' : '\n';
  const header = text.split(ending)[0] ?? '';
  const line = header
    .split(',')
    .map((column) => (column === 'amount' ? otherAmount(settlement.amount ?? '') : settlement[column]))
    .join(',');
  return {
    landingKey: `inbound/globex-pay/settlements/${LATER}/globex-pay-settlements-conflict.csv`,
    bytes: Buffer.from(`${header}${ending}${line}${ending}`, 'latin1'),
  };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(\d{3})?Z$/;

describe('lineage after a rerun on the offline runtime', () => {
  let runtime: Runtime;
  let rerunId: string;
  let firstReadyRunId: string;
  /** The run each file validated in before the rerun, by landing key. */
  const firstRuns = new Map<string, string>();
  const id = settlement.settlement_id ?? '';

  const trace = async (): Promise<LineageReport> => {
    const result = traceRecord(
      await gatherLineageFacts(lineageSourcesOf(runtime.stageDocument, runtime.clients), {
        dataset: 'settlements',
        partner: 'globex-pay',
        id,
      }),
    );
    if (!result.found) throw new Error(result.message);
    return result.report;
  };
  const latestReady = async () =>
    (await archivedDetails(runtime, DatasetReadyV1))
      .filter((event) => event.data.dataset === 'settlements' && event.data.businessDate === DATE)
      .at(-1);

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    await landAndSettle(runtime, sample);
    await runtime.waitForIdle();
    await landAndSettle(runtime, [conflictingFile()]);
    await runtime.waitForIdle();
    const validated = await archivedDetails(runtime, FileValidatedV1);
    for (const event of await archivedDetails(runtime, FileLandedV1)) {
      const run = validated.find((candidate) => candidate.data.fileId === event.data.fileId);
      if (run) firstRuns.set(event.data.landing.key, run.runId);
    }
    const ready = await latestReady();
    if (!ready) throw new Error(`settlements ${DATE} were not published before the rerun`);
    firstReadyRunId = ready.data.runId;
    const result = await rerunWithCli(runtime, { from: DATE, to: LATER });
    if (!result.report) throw new Error(`rerun printed no report: ${result.errors.join('\n')}`);
    rerunId = result.report.summary.runId;
  }, 180_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('shows gold from the newest READY partition of the date, naming its ready run', async () => {
    // Prepare
    const ready = await latestReady();

    // Act
    const report = await trace();

    // Assess
    expect(ready?.data.runId).not.toBe(firstReadyRunId);
    expect(report.gold).toMatchObject({
      state: 'present',
      readyRunId: ready?.data.runId,
      row: { settlement_id: id, business_date: DATE },
    });
    if (report.gold.state !== 'present') return;
    expect(report.gold.part.key).toContain(
      `gold/dataset=settlements/dt=${DATE}/run_id=${ready?.data.runId}/`,
    );
  });

  it('lists the conflict once, with the run before and the rerun, and its version formatted like silver', async () => {
    // Prepare
    const conflictRun = firstRuns.get(conflictingFile().landingKey);

    // Act
    const report = await trace();

    // Assess
    expect(conflictRun).toBeDefined();
    expect(report.occurrences).toHaveLength(1);
    const [occurrence] = report.occurrences;
    expect(occurrence).toMatchObject({
      outcome: 'conflict',
      scope: 'cross-file',
      row: { businessDate: LATER, rowNumber: 2 },
      against: { fileId: report.owner?.lineage.fileId, rowNumber: report.owner?.lineage.rowNumber },
      runs: [
        { runId: conflictRun, againstRunId: report.owner?.lineage.runId },
        { runId: rerunId, againstRunId: report.owner?.lineage.runId },
      ],
    });
    expect(occurrence?.row).not.toHaveProperty('runId');
    expect(occurrence?.record?.settled_at).toMatch(ISO_INSTANT);
    expect(occurrence?.record?.settled_at).toBe(report.silver?.columns.settled_at);
    expect(occurrence?.record?.amount_minor).not.toBe(report.silver?.columns.amount_minor);
  });

  it("shows the silver and unique rows of the owner file's current run, without a warning", async () => {
    // Prepare
    const ownerRun = firstRuns.get(globexSettlements.landingKey);

    // Act
    const report = await trace();

    // Assess
    expect(report.owner?.lineage).toMatchObject({ runId: ownerRun, rowNumber: 2, businessDate: DATE });
    expect(report.raw).toMatchObject({ runId: rerunId, stage: 'VALIDATED' });
    expect(report.silverRunId).toBe(rerunId);
    expect(report.silver?.lineage).toMatchObject({
      runId: rerunId,
      rowNumber: 2,
      fileId: report.owner?.lineage.fileId,
      sha256: report.owner?.lineage.sha256,
    });
    expect(report.silver?.columns.settled_at).toMatch(ISO_INSTANT);
    expect(report.unique?.part.key).toContain(`/run_id=${rerunId}/`);
    expect(report.warnings).toEqual([]);
  });

  it('prints the ready run, both runs of the conflict and the run that first kept the key', async () => {
    // Prepare
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const ready = await latestReady();

    // Act
    const code = await lineageCommand(
      lineageSourcesOf(runtime.stageDocument, runtime.clients),
      ['settlements', 'globex-pay', id],
      { json: false },
    );
    const printed = out.mock.calls.map((call) => String(call[0])).join('\n');
    out.mockRestore();

    // Assess
    expect(code).toBe(0);
    expect(printed).toContain(`gold (ready run ${ready?.data.runId}`);
    expect(printed).toContain(`runs ${firstRuns.get(conflictingFile().landingKey)}, ${rerunId}`);
    expect(printed).toContain(`first kept in run ${firstRuns.get(globexSettlements.landingKey)}`);
    expect(printed).not.toMatch(/settled_at=\d+ /);
    expect(printed).not.toContain('⚠');
  });
});
