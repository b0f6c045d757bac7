import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killIfRunning, spawnTs, type TsProcess } from '../test/process/support/processes.ts';
import type { CampaignResult } from './campaign.ts';

/**
 * `npm run chaos -- --json …` on one SIGKILL schedule: the harness end to end and one resumed run against its
 * baseline. SIGTERM, re-delivery, replay and rerun schedules run in the campaigns (`npm run chaos`, README);
 * graceful SIGTERM has its own process test (test/process/graceful-stop.integration.test.ts). The fan-outs are
 * forced small, so the kill can land inside them: files above 16 KiB are validated in ~8 KiB chunks and the
 * transactions files (~400 rows) deduplicated in 3 units, the windows above 900 rows matched in units of ~400,
 * the dates above 1,000 curated rows built into gold in units of ~300, each unit on its own queue.
 */
const FAN_OUT_ENV = {
  FINLEDGER_VALIDATE_IN_CHUNKS_ABOVE_BYTES: '16384',
  FINLEDGER_VALIDATION_CHUNK_BYTES: '8192',
  FINLEDGER_DEDUP_IN_UNITS_ABOVE_ROWS: '350',
  FINLEDGER_DEDUP_UNIT_ROWS: '150',
  FINLEDGER_MATCH_IN_UNITS_ABOVE_ROWS: '900',
  FINLEDGER_MATCH_UNIT_ROWS: '400',
  FINLEDGER_MATCH_UNIT_PART_ROWS: '100',
  FINLEDGER_MATCH_PLAN_BATCH_ROWS: '300',
  FINLEDGER_GOLD_IN_UNITS_ABOVE_ROWS: '1000',
  FINLEDGER_GOLD_UNIT_ROWS: '300',
};
const ARGS = [
  '--json',
  '--only',
  'sigkill',
  '--schedules',
  '1',
  '--max-kills',
  '1',
  '--timeout-seconds',
  '180',
];

describe('npm run chaos on one SIGKILL schedule', () => {
  let harness: TsProcess | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  let result: CampaignResult | undefined;

  beforeAll(async () => {
    harness = spawnTs('chaos/run.ts', ARGS, {
      env: { ...process.env, ...FAN_OUT_ENV, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
    });
    exit = await harness.exited;
    try {
      result = JSON.parse(harness.stdout()) as CampaignResult;
    } catch {
      result = undefined;
    }
    // The campaign's own lines (stderr with --json), for whoever reads the CI log.
    console.log(harness.stderr());
  }, 900_000);

  afterAll(async () => {
    await killIfRunning(harness);
  });

  const campaign = () => result ?? expect.fail(`no JSON result on stdout:\n${harness?.stderr()}`);

  it('completes and prints its structured result', () => {
    expect(exit.signal).toBeNull();
    expect([0, 1]).toContain(exit.code);
    expect(campaign().schedules.map((schedule) => schedule.schedule.kind)).toEqual(['sigkill']);
    expect(exit.code).toBe(campaign().passed ? 0 : 1);
  });

  it('measures a clean uninterrupted baseline', () => {
    const [baseline] = campaign().baselines;
    expect(baseline?.name).toBe('run');
    expect(baseline?.failure).toBeUndefined();
    expect(baseline?.problems).toEqual([]);
    expect(baseline?.durationMs).toBeGreaterThan(0);
  });

  it('interrupts each schedule within the baseline duration and reaches a verdict for it', () => {
    const baselineMs = campaign().baselines[0]?.durationMs ?? 0;
    for (const schedule of campaign().schedules) {
      expect(schedule.killDelaysMs).toHaveLength(1);
      expect(schedule.killDelaysMs[0]).toBeLessThan(baselineMs);
      expect(schedule.attempts).toHaveLength(1);
      expect(schedule.outcome).not.toBe('harness-error');
      expect(schedule.outcome).not.toBe('no-baseline');
      if (schedule.outcome === 'differences') expect(schedule.differences.length).toBeGreaterThan(0);
    }
  });

  it('matches the uninterrupted run after every interruption, with no problem found', () => {
    const failing = campaign().schedules.filter(
      (schedule) => schedule.outcome !== 'identical' || schedule.problems.length > 0,
    );
    const described = failing.map(
      (schedule) =>
        `seed ${schedule.schedule.seed} ${schedule.schedule.kind}: ${schedule.outcome}; ` +
        [...schedule.problems, ...schedule.differences.slice(0, 5)].join(' | '),
    );
    expect(described).toEqual([]);
  });
});
