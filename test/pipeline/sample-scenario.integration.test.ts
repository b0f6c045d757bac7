import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExceptionKind, ExceptionRow } from '../../cli/exceptions.ts';
import { deliverScenario, mainJobScenario } from '../../cli/main-job.ts';
import { pipelineReport } from '../../cli/pipeline-state.ts';
import type { PipelineReport } from '../../cli/report.ts';
import { DatasetReadyV1 } from '../../contracts/events/dataset-ready.ts';
import { isPartsManifestRef } from '../../contracts/events/parts-manifest-ref.ts';
import {
  type RecordsDeduplicatedDetail,
  RecordsDeduplicatedV1,
  RecordsDeduplicatedV2,
} from '../../contracts/events/records-deduplicated.ts';
import { SettlementsMatchedV1 } from '../../contracts/events/settlements-matched.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { ScenarioClock } from '../../runtime/scenario-clock.ts';
import type { ScenarioDefectKind } from '../sample-data/scenario-truth.ts';
import { expectNoClearCardNumbers } from './card-data-scan.ts';
import {
  archivedDetails,
  archivedMatchRuns,
  configureTestEnvironment,
  resultPartKeys,
  startTestPipeline,
} from './support.ts';

/**
 * The main job's sample set, delivered as `npm start` delivers it, against its ground truth: every injected defect
 * is reported, and no other record of the scenario's business dates is flagged.
 */
const scenario = mainJobScenario();
const { truth } = scenario;
const inScenarioDates = (row: { businessDate: string }) => truth.businessDates.includes(row.businessDate);

/**
 * Dedup in units is forced for the transactions files (~400 valid rows: 3 units of ~150 rows each, by history
 * bucket) and left whole for the settlements files, so one run proves both paths against the ground truth.
 */
const DEDUP_UNITS_ENV = { FINLEDGER_DEDUP_IN_UNITS_ABOVE_ROWS: '350', FINLEDGER_DEDUP_UNIT_ROWS: '150' };

/** Matching in units is forced for the bigger windows (a few units each, their rows moved in parts of 100 rows, written out 300 rows at a time). */
const MATCH_UNITS_ABOVE_ROWS = 900;
const MATCH_UNITS_ENV = {
  FINLEDGER_MATCH_IN_UNITS_ABOVE_ROWS: String(MATCH_UNITS_ABOVE_ROWS),
  FINLEDGER_MATCH_UNIT_ROWS: '400',
  FINLEDGER_MATCH_UNIT_PART_ROWS: '100',
  FINLEDGER_MATCH_PLAN_BATCH_ROWS: '300',
  // Every result part list goes to a parts manifest, so every match run (whole or joined) is SettlementsMatched v2
  // and the match exceptions below are read through manifests.
  FINLEDGER_MATCH_PARTS_LISTED_INLINE_MAX: '0',
};
/** Gold in units is forced for the bigger dates (ranges of buckets of ~300 rows), the others built whole. */
const GOLD_UNITS_ABOVE_ROWS = 1000;
const GOLD_UNITS_ENV = {
  FINLEDGER_GOLD_IN_UNITS_ABOVE_ROWS: String(GOLD_UNITS_ABOVE_ROWS),
  FINLEDGER_GOLD_UNIT_ROWS: '300',
};
/**
 * Every duplicates and conflicts part list goes to a parts manifest (none listed in the event), so every file with a
 * duplicate or conflict is announced as RecordsDeduplicated v2 and the exceptions below are read through manifests.
 */
const PARTS_MANIFEST_ENV = { FINLEDGER_DEDUP_PARTS_LISTED_INLINE_MAX: '0' };
const UNITS_ENV = { ...DEDUP_UNITS_ENV, ...MATCH_UNITS_ENV, ...GOLD_UNITS_ENV, ...PARTS_MANIFEST_ENV };

/** Every archived RecordsDeduplicated, v1 (files with no duplicate or conflict) and v2. */
async function archivedDeduplicated(runtime: Runtime): Promise<RecordsDeduplicatedDetail[]> {
  return [
    ...(await archivedDetails(runtime, RecordsDeduplicatedV1)),
    ...(await archivedDetails(runtime, RecordsDeduplicatedV2)),
  ];
}

describe('the main job sample set on the offline runtime', () => {
  let runtime: Runtime;
  let report: PipelineReport;
  const reported = (kind: ExceptionKind): ExceptionRow[] =>
    report.exceptions.filter((row) => row.kind === kind && inScenarioDates(row));
  const ids = (
    rows: readonly { partner: string; businessDate: string; id?: string | null; transactionId?: string }[],
  ) => rows.map((row) => `${row.partner} ${row.businessDate} ${row.id ?? row.transactionId}`).sort();

  beforeAll(async () => {
    configureTestEnvironment(UNITS_ENV);
    const clock = new ScenarioClock();
    runtime = await startTestPipeline({ s3EventTime: clock.eventTime });
    await deliverScenario(runtime, clock, scenario, 240_000);
    report = await pipelineReport(runtime);
  }, 300_000);

  afterAll(async () => {
    await runtime?.stop();
    for (const variable of Object.keys(UNITS_ENV)) delete process.env[variable];
  });

  it('deduplicates the files above the unit size in units, each in its own folder, and the others whole', async () => {
    const events = await archivedDeduplicated(runtime);
    const inUnits = events.filter((event) =>
      event.data.unique.parts.some((key) => /\/unit-\d{5}\//.test(key)),
    );
    const big = events.filter((event) => event.data.counts.valid > 350);
    expect(big.length).toBeGreaterThan(3);
    expect(big.length).toBeLessThan(events.length);
    expect(inUnits.map((event) => event.data.fileId).sort()).toEqual(
      big.map((event) => event.data.fileId).sort(),
    );
  });

  it('matches the windows above the unit size in units, each unit in its own folder, and the others whole', async () => {
    const uniqueRows = new Map(
      (await archivedDeduplicated(runtime)).map((event) => [
        `${event.data.fileId}:${event.runId}`,
        event.data.counts.unique,
      ]),
    );
    const matched = await archivedMatchRuns(runtime);
    const partKeys = new Map<string, string[]>();
    for (const event of matched) partKeys.set(event.eventId, await resultPartKeys(runtime, event));
    const windowRows = (event: (typeof matched)[number]) =>
      event.data.inputs.reduce(
        (sum, input) => sum + (uniqueRows.get(`${input.fileId}:${input.runId}`) ?? Number.NaN),
        0,
      );
    const runs = (events: typeof matched) => events.map((event) => event.data.matchRunId).sort();
    const inUnits = matched.filter((event) =>
      (partKeys.get(event.eventId) ?? []).some((key) => /\/unit-\d{5}\//.test(key)),
    );
    const big = matched.filter((event) => windowRows(event) > MATCH_UNITS_ABOVE_ROWS);
    expect(big.length).toBeGreaterThan(2);
    expect(big.length).toBeLessThan(matched.length);
    expect(runs(inUnits)).toEqual(runs(big));
  });

  it('announces every match run, whole or joined, as v2, its results in a manifest under the run folder', async () => {
    const matched = await archivedMatchRuns(runtime);

    expect(matched.length).toBeGreaterThan(0);
    expect(await archivedDetails(runtime, SettlementsMatchedV1)).toEqual([]);
    for (const event of matched) {
      const { results } = event.data;
      expect(event.version).toBe(2);
      expect(
        isPartsManifestRef(results) && results.manifest === `${results.prefix}_parts-manifest.json`,
      ).toBe(true);
      expect((await resultPartKeys(runtime, event)).every((key) => key.startsWith(results.prefix))).toBe(
        true,
      );
    }
  });

  it('builds the gold of the dates above the unit size in units, each range of buckets in its own parts, and the others whole', async () => {
    const published = await archivedDetails(runtime, DatasetReadyV1);
    const big = published.filter((event) => event.data.rowCount > GOLD_UNITS_ABOVE_ROWS);
    const inUnits = published.filter((event) =>
      event.data.gold.parts.some((key) => /\/part-b\d{3}-\d{5}\.parquet$/.test(key)),
    );
    expect(big.length).toBeGreaterThan(0);
    expect(big.length).toBeLessThan(published.length);
    expect(inUnits.map((event) => event.runId).sort()).toEqual(big.map((event) => event.runId).sort());
    for (const event of big)
      expect(
        new Set(event.data.gold.parts.map((key) => key.split('-b')[1]?.slice(0, 3))).size,
      ).toBeGreaterThan(1);
  });

  it('closes every file with its rows conserved through validation and dedup', () => {
    expect(report.totals.open).toBe(0);
    for (const file of report.files) {
      expect(file.conserved, file.fileName).toBe(true);
      if (file.dedup)
        expect(file.dedup.unique + file.dedup.duplicates + file.dedup.conflicts, file.fileName).toBe(
          file.valid,
        );
    }
    for (const sample of scenario.files) {
      const row = report.files.find(
        (file) => file.fileName === sample.fileName && file.businessDate === sample.businessDate,
      );
      expect(row, sample.fileName).toMatchObject({
        rowsIn: sample.expected.rows,
        valid: sample.expected.validRows,
        quarantined: sample.expected.quarantinedRows,
      });
    }
  });

  it('quarantines exactly the invalid rows, at their line and field', () => {
    const expected = truth.quarantined
      .map((row) => `${row.partner} ${row.dataset} ${row.businessDate} line ${row.row + 1} ${row.field}`)
      .sort();

    const actual = reported('QUARANTINED')
      .map(
        (row) =>
          `${row.partner} ${row.dataset} ${row.businessDate} line ${row.line} ${row.detail.split(':')[0]}`,
      )
      .sort();

    expect(actual).toEqual(expected);
  });

  it('announces every file with duplicates or conflicts as v2, their parts in manifests, and the others as v1', async () => {
    const v1 = await archivedDetails(runtime, RecordsDeduplicatedV1);
    const v2 = await archivedDetails(runtime, RecordsDeduplicatedV2);
    const refs = v2
      .flatMap((event) => [event.data.duplicates, event.data.conflicts])
      .filter((ref) => ref !== null);

    expect(v2.length).toBeGreaterThan(0);
    expect(v2.some((event) => event.data.counts.conflicts > 0)).toBe(true);
    expect(
      refs.every((ref) => 'manifest' in ref && ref.manifest === `${ref.prefix}_parts-manifest.json`),
    ).toBe(true);
    expect(v1.every((event) => event.data.duplicates === null && event.data.conflicts === null)).toBe(true);
  });

  it('drops exactly the exact duplicates, within the file and across days', () => {
    const duplicates = reported('DUPLICATE');

    expect(ids(duplicates)).toEqual(ids(truth.duplicates));
    for (const expected of truth.duplicates)
      expect(duplicates.find((row) => row.id === expected.id)?.detail).toMatch(
        new RegExp(`^${expected.scope} `),
      );
  });

  it('quarantines exactly the conflicting duplicate, naming the version it conflicts with', () => {
    const conflicts = reported('CONFLICT');

    expect(ids(conflicts)).toEqual(ids(truth.conflicts));
    expect(conflicts[0]?.detail).toMatch(
      /^cross-file: same key as line \d+ of f_[0-9a-f]{24} \(2026-11-19\)/,
    );
  });

  it('leaves open exactly the payments whose settlement is missing or was quarantined', () => {
    expect(ids(reported('UNMATCHED'))).toEqual(ids(truth.unmatched));
  });

  it('reports the partial settlement with what is outstanding', () => {
    const partial = reported('PARTIALLY_SETTLED');

    expect(ids(partial)).toEqual(ids(truth.partiallySettled));
    for (const expected of truth.partiallySettled)
      expect(partial.find((row) => row.id === expected.transactionId)?.detail).toContain(
        `${expected.amountMinor} (minor) outstanding`,
      );
  });

  it('reports the amount mismatch with its difference', () => {
    const mismatches = reported('AMOUNT_MISMATCH');

    expect(ids(mismatches)).toEqual(ids(truth.mismatches));
    for (const expected of truth.mismatches)
      expect(mismatches.find((row) => row.id === expected.transactionId)?.detail).toContain(
        `difference ${expected.amountMinor}`,
      );
  });

  it('flags no settlement as an orphan', () => {
    expect(reported('ORPHAN_SETTLEMENT').map((row) => row.id)).toEqual(truth.orphanSettlements);
  });

  it('ends every dataset and business date with the expected verdict and failed gates', () => {
    const verdicts = report.readiness.map((row) => ({
      dataset: row.dataset,
      businessDate: row.businessDate,
      verdict: row.verdict,
      failedGates: row.verdict === 'BLOCKED' ? row.failedGates.map((gate) => gate.name).sort() : [],
    }));

    const byScope = (
      a: { dataset: string; businessDate: string },
      b: { dataset: string; businessDate: string },
    ) => `${a.dataset}#${a.businessDate}`.localeCompare(`${b.dataset}#${b.businessDate}`);

    expect(verdicts.sort(byScope)).toEqual(
      truth.verdicts
        .map(({ because: _because, failedGates, ...verdict }) => ({
          ...verdict,
          failedGates: [...failedGates].sort(),
        }))
        .sort(byScope),
    );
  });

  it('reports the late file on the verdict it was accepted in', () => {
    for (const late of truth.lateFiles) {
      const verdict = report.readiness.find(
        (row) => row.dataset === late.dataset && row.businessDate === late.businessDate,
      );
      const note =
        verdict?.verdict === 'READY'
          ? verdict.notes.find((gate) => gate.name === `file-on-time:${late.partner}`)
          : undefined;
      expect(note?.detail, JSON.stringify(verdict)).toContain(
        `${(late.minutesLate / 60).toFixed(1)} h after the cut-off`,
      );
    }
  });

  it('counts the re-delivery without reprocessing it, and rejects each hostile file with its code', () => {
    for (const key of truth.redelivered) {
      const fileName = key.split('/').pop();
      expect(report.files.find((file) => file.fileName === fileName)?.redeliveries).toBe(1);
    }
    for (const rejected of truth.rejectedFiles) {
      const fileName = rejected.landingKey.split('/').pop();
      expect(report.files.find((file) => file.fileName === fileName)?.rejection, fileName).toMatch(
        new RegExp(`^${rejected.code}: `),
      );
    }
  });

  it('balances every reconciliation of the scenario dates', () => {
    const scopes = report.dataQuality.filter(inScenarioDates);

    expect(scopes).toHaveLength(2 * 2 * 3);
    expect(scopes.filter((scope) => !scope.balanced)).toEqual([]);
  });

  it('has evidence in the report for every injected defect', () => {
    const evidence: Record<ScenarioDefectKind, number> = {
      INVALID_ROW: reported('QUARANTINED').length,
      EXACT_DUPLICATE_WITHIN_FILE: reported('DUPLICATE').filter((row) => row.detail.startsWith('within-file'))
        .length,
      EXACT_DUPLICATE_CROSS_DAY: reported('DUPLICATE').filter((row) => row.detail.startsWith('cross-file'))
        .length,
      CONFLICTING_DUPLICATE: reported('CONFLICT').length,
      MISSING_SETTLEMENT: reported('UNMATCHED').filter((row) =>
        truth.unmatched.some(
          (item) => item.because === 'MISSING_SETTLEMENT' && item.transactionId === row.id,
        ),
      ).length,
      PARTIAL_SETTLEMENT: reported('PARTIALLY_SETTLED').length,
      AMOUNT_MISMATCH: reported('AMOUNT_MISMATCH').length,
      LATE_FILE: report.readiness.flatMap((row) => (row.verdict === 'READY' ? row.notes : [])).length,
      REDELIVERED_FILE: report.files.filter((file) => file.redeliveries > 0).length,
      REJECTED_FILE: report.files.filter((file) => file.stage === 'REJECTED').length,
    };

    for (const kind of Object.keys(evidence) as ScenarioDefectKind[])
      expect(evidence[kind], kind).toBe(truth.injected.filter((defect) => defect.kind === kind).length);
  });

  it('leaves no clear card number outside restricted/ in any store', async () => {
    await expectNoClearCardNumbers(runtime);
  });
});
