import { describe, expect, it } from 'vitest';
import { runUnit, type UnitWork } from './run-unit.ts';
import { memoryUnitLedger } from './test-support/memory-unit-ledger.ts';

type Work = { readonly parts: readonly string[] };
type Result = { readonly index: number; readonly upper: string };

/** Upper-cases one part per unit, counting how often each unit's work really ran. */
function upperCasing() {
  const runs: number[] = [];
  const kind: UnitWork<Work, Result> = {
    noun: 'part',
    recovery: 'rerun the file',
    count: (work) => work.parts.length,
    run: async (work, index) => {
      runs.push(index);
      return { index, upper: (work.parts[index] as string).toUpperCase() };
    },
  };
  return { kind, runs };
}

describe('runUnit', () => {
  it('runs each unit once, waits until the set is complete, then hands back every result in unit order', async () => {
    // Prepare
    const ledger = memoryUnitLedger<Work, Result>();
    await ledger.recordWork('f_1', 'run_1', { parts: ['a', 'b', 'c'] });
    const { kind, runs } = upperCasing();
    const unit = (index: number) => ({ scope: 'f_1', runId: 'run_1', index });

    // Act: out of order, with a redelivery.
    const ends = [];
    for (const index of [2, 0, 2, 1]) ends.push(await runUnit(unit(index), ledger, kind));

    // Assess
    expect(runs).toEqual([2, 0, 1]);
    expect(ends.slice(0, 3)).toEqual([
      { kind: 'waiting', done: 1, units: 3 },
      { kind: 'waiting', done: 2, units: 3 },
      { kind: 'waiting', done: 2, units: 3 },
    ]);
    expect(ends[3]).toEqual({
      kind: 'complete',
      work: { parts: ['a', 'b', 'c'] },
      results: [
        { index: 0, upper: 'A' },
        { index: 1, upper: 'B' },
        { index: 2, upper: 'C' },
      ],
    });
  });

  it('refuses a unit without recorded work, or beyond the recorded units, saying what happens next', async () => {
    const ledger = memoryUnitLedger<Work, Result>();
    await ledger.recordWork('f_1', 'run_1', { parts: ['a'] });
    const { kind, runs } = upperCasing();

    await expect(runUnit({ scope: 'f_2', runId: 'run_1', index: 0 }, ledger, kind)).rejects.toThrow(
      /No part work recorded for f_2 run run_1.*retried; if it reaches the DLQ, rerun the file/,
    );
    await expect(runUnit({ scope: 'f_1', runId: 'run_1', index: 1 }, ledger, kind)).rejects.toThrow(
      'f_1 run run_1 has no part 1 (1 in all).',
    );
    expect(runs).toEqual([]);
  });
});
