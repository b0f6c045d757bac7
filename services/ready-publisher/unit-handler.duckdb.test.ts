import { describe, expect, it } from 'vitest';
import type { DatasetGates } from '../../config/ready-gates.ts';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import { DEFAULT_SET_ENGINE_LIMITS, withSetEngine } from '../../lib/duckdb/set-engine.ts';
import type { DayListing } from '../../lib/file-registry/file-registry-store.ts';
import { fileRecordFixture } from '../../lib/file-registry/test-support/file-record.ts';
import { memoryUnitLedger } from '../../lib/work-units/test-support/memory-unit-ledger.ts';
import type { ReadyVerdictEvent } from './adapters/dynamo-ready-committer.ts';
import { buildGoldPartition } from './gold-build.ts';
import { readyMarkerKey } from './gold-keys.ts';
import type { ReadyPorts } from './ports.ts';
import { dayFacts } from './publish-day.ts';
import type { ReadyDeps } from './side-effects.ts';
import { curatedDay } from './test-support/curated-parts.ts';
import { DATE } from './test-support/facts.ts';
import { contractOf, generatedFiles } from './test-support/generated-day.ts';
import { processGoldUnit } from './unit-handler.ts';
import { type GoldUnit, type GoldUnitResult, type GoldUnitsWork, planGoldUnits } from './units/gold-units.ts';

const GATES: DatasetGates[] = [
  {
    dataset: 'settlements',
    expectedFiles: [],
    maxQuarantineRateBps: 200,
    maxOpenConflicts: 0,
    minMatchingRateBps: null,
  },
];
const scope = { dataset: 'settlements' as const, businessDate: DATE };

/** A planned 3-unit build of a generated settlements day, with the registry's listing of the day held in `listing`. */
async function plannedDay() {
  const contract = contractOf('settlements');
  // Currencies an event may carry (the generated day holds awkward ones to test gold's text order).
  const currency = contract.silverColumns.findIndex((column) => column.name === 'currency');
  const files = generatedFiles(contract, 23).map((file) => ({
    ...file,
    rows: file.rows.map((row) => ({
      ...row,
      values: row.values.map((value, at) =>
        at === currency && !/^[A-Z]{3}$/.test(String(value)) ? 'EUR' : value,
      ),
    })),
  }));
  const day = await curatedDay(contract, DATE, files);
  const gold = new Map<string, Uint8Array>();
  const listing: { current: DayListing } = { current: { files: [], dedupRuns: [] } };
  const ports: ReadyPorts = {
    listDay: async () => listing.current,
    reconRuns: async () => [],
    matchRuns: async () => [],
    isPublished: async () => false,
    getObject: async (ref: ObjectRef) => gold.get(ref.key) ?? day.getObject(ref),
    putObjectOnce: async (object) => {
      if (gold.has(object.key)) return 'exists';
      gold.set(object.key, object.bytes);
      return 'created';
    },
  };
  const runId = (await dayFacts(scope, ports, GATES)).runId;
  const target = { ...scope, runId, schemaV: 1 };
  const whole = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, (engine) =>
    buildGoldPartition({ ...day, target, engine }),
  );
  const committed: ReadyVerdictEvent[] = [];
  const sent: GoldUnit[] = [];
  const rows = day.runs.reduce((total, run) => total + run.counts.unique, 0);
  const deps: ReadyDeps = {
    ports,
    config: { goldBucket: 'gold', gates: GATES, maxGoldRows: 1e8, engine: DEFAULT_SET_ENGINE_LIMITS },
    commit: async (event) => {
      committed.push(event);
      return 'committed';
    },
    units: {
      ledger: memoryUnitLedger<GoldUnitsWork, GoldUnitResult>(),
      dispatch: async (units) => {
        sent.push(...units);
      },
      sizes: { aboveRows: 0, rowsPerUnit: Math.ceil(rows / 3) },
    },
  };
  // What each partner's reconciliation found curated: what gold must hold.
  const reconciliations = Object.entries(whole.byPartner).map(([partner, curated]) => ({
    partner,
    reconRunId: `recon_${partner}`,
    balanced: true,
    breakCount: 0,
    fileIds: [],
    curated,
  }));
  const request = {
    target,
    causationId: 'ev_trigger',
    now: new Date(`${DATE}T23:00:00Z`),
    evaluation: { ...scope, ready: true, gates: [] },
    reconciliations,
    runs: day.runs,
    rows,
  };
  await planGoldUnits(request, ports, deps.config, deps.units as NonNullable<ReadyDeps['units']>);
  return { deps, sent, committed, gold, whole, listing, target };
}

describe('processGoldUnit', () => {
  it('publishes the joined gold once, by the last unit: the marker after every part, DatasetReady with the one-build hash', async () => {
    // Prepare
    const { deps, sent, committed, gold, whole, target } = await plannedDay();

    // Act
    const outcomes = [];
    for (const unit of sent) outcomes.push(await processGoldUnit(unit, deps));

    // Assess
    expect(outcomes.map((outcome) => outcome.joined)).toEqual([false, false, true]);
    expect(committed).toHaveLength(1);
    const event = committed[0];
    if (event?.type !== 'DatasetReady') throw new Error(`expected DatasetReady, got ${event?.type}`);
    expect(event.causationId).toBe('ev_trigger');
    expect(event.data).toMatchObject({
      runId: target.runId,
      contentHash: whole.contentHash,
      rowCount: whole.rowCount,
    });
    expect(event.data.sums).toEqual(whole.sums);
    const marker = JSON.parse(new TextDecoder().decode(gold.get(readyMarkerKey(whole.prefix))));
    expect(marker.contentHash).toBe(whole.contentHash);
    expect(marker.parts.map((part: { key: string }) => part.key)).toEqual(event.data.gold.parts);
    for (const key of event.data.gold.parts) expect(gold.has(key)).toBe(true);
  });

  it('publishes nothing when the day moved on while its units ran: the evaluation of the new facts decides', async () => {
    // Prepare: a file of the day lands after the plan, so the day's run id is no longer the plan's.
    const { deps, sent, committed, gold, whole, listing } = await plannedDay();
    listing.current = {
      files: [
        fileRecordFixture('f_late', { dataset: 'settlements', businessDate: DATE, stage: 'VALIDATED' }),
      ],
      dedupRuns: [],
    };

    // Act
    const outcomes = [];
    for (const unit of sent) outcomes.push(await processGoldUnit(unit, deps));

    // Assess
    const last = outcomes[outcomes.length - 1];
    expect(last).toMatchObject({ joined: true, result: null });
    expect(last?.joined && last.superseded).toMatch(/\S/);
    expect(committed).toEqual([]);
    expect(gold.has(readyMarkerKey(whole.prefix))).toBe(false);
  });
});
