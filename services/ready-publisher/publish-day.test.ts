import { describe, expect, it } from 'vitest';
import type { DatasetGates } from '../../config/ready-gates.ts';
import { DEFAULT_SET_ENGINE_LIMITS } from '../../lib/duckdb/set-engine.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import { fileRecordFixture } from '../../lib/file-registry/test-support/file-record.ts';
import { memoryUnitLedger } from '../../lib/work-units/test-support/memory-unit-ledger.ts';
import type { ReadyPorts } from './ports.ts';
import { publishDay } from './publish-day.ts';
import { AFTER_CUTOFFS, DATE } from './test-support/facts.ts';
import type { GoldUnit, GoldUnitResult, GoldUnitsWork } from './units/gold-units.ts';

const GATES: DatasetGates[] = [
  {
    dataset: 'settlements',
    expectedFiles: [
      { partner: 'acme-bank', on: 'every-day', cutoff: { daysAfter: 1, localTime: '06:00' }, late: 'block' },
    ],
    maxQuarantineRateBps: 200,
    maxOpenConflicts: 0,
    minMatchingRateBps: null,
  },
];

const file = fileRecordFixture('f_1', {
  dataset: 'settlements',
  businessDate: DATE,
  landedAt: `${DATE}T20:00:00Z`,
  stage: 'VALIDATED',
  runId: 'run_1',
  counts: { rowsIn: 8, valid: 8, quarantined: 0 },
});
const dedup = {
  fileId: 'f_1',
  runId: 'run_1',
  partner: 'acme-bank',
  dataset: 'settlements',
  businessDate: DATE,
  schemaV: 1,
  counts: { valid: 8, unique: 8, duplicates: 0, conflicts: 0 },
  totals: {
    unique: { rowCount: 8, sums: { EUR: '800' } },
    duplicates: { rowCount: 0, sums: {} },
    conflicts: { rowCount: 0, sums: {} },
  },
  unique: { bucket: 'silver', prefix: 'silver/dedup/f_1/', parts: ['silver/dedup/f_1/part-00000.parquet'] },
  eventId: 'ev_1',
  committedAt: `${DATE}T20:01:00Z`,
} as unknown as DedupRunRecord;

/** A day whose every gate passes; reading a part or writing gold is recorded. */
function readyDay() {
  const touched: string[] = [];
  const ports: ReadyPorts = {
    listDay: async () => ({ files: [file], dedupRuns: [dedup] }),
    reconRuns: async () => [
      {
        reconRunId: 'recon_1',
        partner: 'acme-bank',
        balanced: true,
        breaks: 0,
        inputs: [{ fileId: 'f_1', dedupRunId: 'run_1' }],
        committedAt: `${DATE}T20:02:00Z`,
      },
    ],
    matchRuns: async () => [],
    isPublished: async () => false,
    getObject: async (ref) => {
      touched.push(`read ${ref.key}`);
      throw new Error('not expected to read');
    },
    putObjectOnce: async (object) => {
      touched.push(`write ${object.key}`);
      return 'created';
    },
  };
  return { ports, touched };
}

describe('publishDay', () => {
  it('blocks a partition over the gold row limit before reading a row, with every other gate passed', async () => {
    // Prepare
    const { ports, touched } = readyDay();

    // Act
    const outcome = await publishDay({ dataset: 'settlements', businessDate: DATE }, AFTER_CUTOFFS, ports, {
      goldBucket: 'gold',
      gates: GATES,
      maxGoldRows: 7,
      engine: DEFAULT_SET_ENGINE_LIMITS,
    });

    // Assess
    expect(outcome.kind).toBe('blocked');
    const payload = outcome.verdict?.kind === 'blocked' ? outcome.verdict.payload : null;
    expect(payload?.failedGates.map((gate) => gate.name)).toEqual(['gold-size']);
    expect(payload?.failedGates[0]).toMatchObject({ observed: 8, threshold: 7 });
    expect(payload?.failedGates[0]?.detail).toContain('MAX_GOLD_PARTITION_ROWS in config/limits.ts');
    expect(payload?.passedGates.length).toBeGreaterThan(0);
    expect(touched).toEqual([]);
  });

  it('goes on to read the curated rows when the partition is within the limit', async () => {
    // Prepare
    const { ports, touched } = readyDay();

    // Act
    const attempt = publishDay({ dataset: 'settlements', businessDate: DATE }, AFTER_CUTOFFS, ports, {
      goldBucket: 'gold',
      gates: GATES,
      maxGoldRows: 8,
      engine: DEFAULT_SET_ENGINE_LIMITS,
    });

    // Assess: it reached the unique part (the fake refuses to serve it).
    await expect(attempt).rejects.toThrow('not expected to read');
    expect(touched).toEqual(['read silver/dedup/f_1/part-00000.parquet']);
  });

  it('decides nothing while a file of the day is not yet deduplicated, and reads nothing', async () => {
    // Prepare: a second file validated, its dedup run not committed yet.
    const { ports, touched } = readyDay();
    const second = { ...file, fileId: 'f_2', runId: 'run_2' };
    const waiting: ReadyPorts = {
      ...ports,
      listDay: async () => ({ files: [file, second], dedupRuns: [dedup] }),
    };

    // Act
    const outcome = await publishDay({ dataset: 'settlements', businessDate: DATE }, AFTER_CUTOFFS, waiting, {
      goldBucket: 'gold',
      gates: GATES,
      maxGoldRows: 8,
      engine: DEFAULT_SET_ENGINE_LIMITS,
    });

    // Assess
    expect(outcome).toMatchObject({ kind: 'deferred', verdict: null, goldObjectsWritten: 0 });
    expect(touched).toEqual([]);
  });

  it('plans a date above the unit size into gold units and sends them, reading no row and deciding nothing yet', async () => {
    // Prepare
    const { ports, touched } = readyDay();
    const sent: GoldUnit[] = [];
    const units = {
      ledger: memoryUnitLedger<GoldUnitsWork, GoldUnitResult>(),
      dispatch: async (batch: readonly GoldUnit[]) => {
        sent.push(...batch);
      },
      sizes: { aboveRows: 7, rowsPerUnit: 3 },
    };
    const config = { goldBucket: 'gold', gates: GATES, maxGoldRows: 8, engine: DEFAULT_SET_ENGINE_LIMITS };

    // Act
    const outcome = await publishDay(
      { dataset: 'settlements', businessDate: DATE },
      AFTER_CUTOFFS,
      ports,
      config,
      {
        units,
        causationId: 'ev_trigger',
      },
    );

    // Assess: 8 rows in units of 3 → 3 units; only the plan was written.
    expect(outcome).toMatchObject({ kind: 'building', verdict: null, goldObjectsWritten: 0 });
    expect(sent.map((unit) => unit.index)).toEqual([0, 1, 2]);
    expect(sent.every((unit) => unit.runId === outcome.runId)).toBe(true);
    expect(touched).toEqual([
      `write gold-units/dataset=settlements/dt=${DATE}/run_id=${outcome.runId}/plan.json`,
    ]);
    const recorded = await units.ledger.work(`settlements#${DATE}`, outcome.runId);
    expect(recorded?.work).toMatchObject({ units: 3, causationId: 'ev_trigger' });
  });
});
