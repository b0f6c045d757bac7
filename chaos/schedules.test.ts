import { describe, expect, it } from 'vitest';
import { rerunToResume } from './command-lines.ts';
import { killDelaysMs, MAX_KILLS, planSchedules, SCHEDULE_KINDS, scheduleFor } from './schedules.ts';

describe('planSchedules', () => {
  it('draws the same schedules for the same seed', () => {
    // Act
    const first = planSchedules({ seed: 42, count: 20, kinds: SCHEDULE_KINDS });
    const second = planSchedules({ seed: 42, count: 20, kinds: SCHEDULE_KINDS });

    // Assess
    expect(second).toEqual(first);
  });

  it('splits a campaign over sittings into exactly the schedules of one sitting', () => {
    // Act
    const whole = planSchedules({ seed: 42, count: 12, kinds: SCHEDULE_KINDS });
    const split = [
      ...planSchedules({ seed: 42, count: 5, kinds: SCHEDULE_KINDS }),
      ...planSchedules({ seed: 42, count: 7, kinds: SCHEDULE_KINDS, first: 5 }),
    ];

    // Assess
    expect(split).toEqual(whole);
  });

  it('draws other kill points for another seed', () => {
    const first = planSchedules({ seed: 42, count: 5, kinds: SCHEDULE_KINDS });
    const second = planSchedules({ seed: 43, count: 5, kinds: SCHEDULE_KINDS });

    expect(second.map((item) => item.killFractions)).not.toEqual(first.map((item) => item.killFractions));
  });

  it('takes the kinds in turn so a handful covers each', () => {
    const kinds = planSchedules({ seed: 7, count: 7, kinds: SCHEDULE_KINDS }).map((item) => item.kind);

    expect(kinds).toEqual([...SCHEDULE_KINDS, 'sigkill', 'sigterm']);
  });

  it('kills one to three times in a sigkill schedule and once in every other kind', () => {
    // Act
    const schedules = planSchedules({ seed: 1, count: 200, kinds: SCHEDULE_KINDS });

    // Assess
    for (const schedule of schedules) {
      const kills = schedule.killFractions.length;
      if (schedule.kind === 'sigkill') expect(kills).toBeGreaterThanOrEqual(1);
      else expect(kills).toBe(1);
      expect(kills).toBeLessThanOrEqual(MAX_KILLS);
      for (const fraction of schedule.killFractions) expect(fraction).toBeGreaterThanOrEqual(0);
      for (const fraction of schedule.killFractions) expect(fraction).toBeLessThan(1);
    }
    const sigkillCounts = new Set(
      schedules.filter((item) => item.kind === 'sigkill').map((item) => item.killFractions.length),
    );
    expect([...sigkillCounts].sort()).toEqual([1, 2, 3]);
  });

  it('reproduces one schedule from the seed its result line printed', () => {
    // Prepare
    const planned = planSchedules({ seed: 99, count: 10, kinds: SCHEDULE_KINDS })[6];
    if (!planned) throw new Error('no schedule 6');

    // Act
    const alone = scheduleFor(planned.kind, planned.seed, planned.index);

    // Assess
    expect(alone).toEqual(planned);
  });

  it('caps the kills with maxKills', () => {
    const schedules = planSchedules({ seed: 5, count: 30, kinds: ['sigkill'], maxKills: 1 });

    expect(schedules.every((item) => item.killFractions.length === 1)).toBe(true);
  });
});

describe('killDelaysMs', () => {
  it('spreads the kill points across the measured baseline duration', () => {
    const schedule = { index: 0, kind: 'sigkill' as const, seed: 1, killFractions: [0, 0.5, 0.999] };

    expect(killDelaysMs(schedule, 30_000)).toEqual([0, 15_000, 29_970]);
  });
});

describe('rerunToResume', () => {
  const runId = `run_${'a'.repeat(32)}`;
  const recorded = (id: string, requestedAt: string, from = '2026-11-19') => ({
    runId: id,
    from,
    to: '2026-11-21',
    requestedAt,
    fileCount: 0,
  });

  it('takes the id the interrupted rerun printed', () => {
    expect(
      rerunToResume(
        `Rerun ${runId} (new, asked by arn:aws:iam::000000000000:user/offline) over 2026-11-19..2026-11-21: 3 file(s) reopened`,
        [],
      ),
    ).toBe(runId);
  });

  it('falls back on the latest run of the range recorded in the state folder', () => {
    const latest = `run_${'b'.repeat(32)}`;
    const runs = [
      recorded(runId, '2026-12-01T00:00:00Z'),
      recorded(latest, '2026-12-02T00:00:00Z'),
      recorded(`run_${'c'.repeat(32)}`, '2026-12-03T00:00:00Z', '2026-11-20'),
    ];

    expect(rerunToResume('', runs)).toBe(latest);
  });

  it('starts a new rerun when none was recorded', () => {
    expect(rerunToResume('', [])).toBeUndefined();
  });
});
