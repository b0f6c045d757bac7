import { describe, expect, it } from 'vitest';
import { findMatchingRules, type MatchingRules } from '../../../config/matching-rules.ts';
import { SettlementsMatchedPayloadSchema } from '../../../contracts/events/settlements-matched.ts';
import { memoryUnitLedger } from '../../../lib/work-units/test-support/memory-unit-ledger.ts';
import { createRandom, shuffled } from '../../../test/sample-data/prng.ts';
import { matchesPrefix, matchPartnerDay, prepareMatchRun } from '../match-run.ts';
import { DEFAULT_MATCH_LIMITS, type DedupRunRef } from '../ports.ts';
import { randomRows, withLineage } from '../test-support/random-window.ts';
import { silverWindow } from '../test-support/silver-window.ts';
import {
  type MatchUnit,
  type MatchUnitEnd,
  type MatchUnitResult,
  type MatchUnitsWork,
  matchUnit,
  planMatchUnits,
  windowScope,
} from './match-unit-run.ts';

const AS_OF = '2026-11-20';
const PARTNERS = ['acme-bank', 'globex-pay', 'initech-acq'];
const SEEDS_PER_PARTNER = 3;

/** A partner's random window as the registry lists it, and an object store that keeps what is written. */
function windowOf(partner: string, seed: number) {
  const rules = findMatchingRules(partner) as MatchingRules;
  const random = createRandom(seed * 7_919 + partner.length);
  const rows = randomRows(random, rules, AS_OF);
  const silver = silverWindow(
    withLineage(rows.transactions, 'transactions', random),
    withLineage(rows.settlements, 'settlements', random),
    random,
  );
  const [trigger, ...listed] = silver.runs as [DedupRunRef, ...DedupRunRef[]];
  const ports = {
    dedupRuns: async (date: string) => listed.filter((run) => run.businessDate === date),
    filesAwaitingDedup: async () => [],
    objects: silver.objects,
  };
  return { silver, ports, trigger: { partner, asOf: AS_OF, run: trigger }, random };
}

/** The records of result parts, one JSON line each. */
const recordsOf = (written: Map<string, Uint8Array>, parts: readonly string[]) =>
  parts.flatMap((key) => new TextDecoder().decode(written.get(key)).split('\n').filter(Boolean));

describe('a window matched in units (plan, a unit per invocation, the last one joins)', () => {
  it.each(
    PARTNERS.flatMap((partner) => Array.from({ length: SEEDS_PER_PARTNER }, (_, seed) => [partner, seed])),
  )('gives the whole window’s counts, sums, inputs and records, %s seed %i', async (partner, seed) => {
    // Prepare: the same window matched whole, then planned in 2-6 units of a few rows
    const { silver, ports, trigger, random } = windowOf(String(partner), Number(seed));
    const config = { ...DEFAULT_MATCH_LIMITS, silverBucket: 'silver', resultPartEntries: 5 };
    const prepared = await prepareMatchRun(trigger, ports, config);
    const whole = await matchPartnerDay(prepared, ports, config);
    const wholeRecords = recordsOf(silver.written, whole.payload.results.parts);
    const rowsPerUnit = Math.ceil(prepared.windowRows / random.int(2, 6));
    const ledger = memoryUnitLedger<MatchUnitsWork, MatchUnitResult>();
    const dispatched: MatchUnit[] = [];
    const deps = {
      ledger,
      dispatch: async (units: readonly MatchUnit[]) => {
        dispatched.push(...units);
      },
      sizes: { aboveRows: 0, rowsPerUnit, rowsPerPart: 3, rowsPerBatch: 4 },
    };

    // Act: planned twice (a redelivered trigger), units run out of order with one delivered twice
    const units = await planMatchUnits(prepared, 'evt_1', ports, config, deps);
    const writesAfterPlan = silver.written.size;
    await planMatchUnits(prepared, 'evt_1', ports, config, deps);
    const writesAfterReplan = silver.written.size;
    const order = shuffled(random, dispatched.slice(0, units));
    const ends: MatchUnitEnd[] = [];
    for (const unit of [order[0] as MatchUnit, ...order])
      ends.push(await matchUnit(unit, ports, config, ledger));

    // Assess
    expect(units).toBe(Math.ceil(prepared.windowRows / rowsPerUnit));
    expect(units).toBeGreaterThan(1);
    expect(dispatched).toHaveLength(2 * units);
    expect(writesAfterReplan).toBe(writesAfterPlan);
    expect(ends.filter((end) => end.kind === 'joined')).toHaveLength(1);
    const last = ends.at(-1);
    if (last?.kind !== 'joined') return expect.fail('the last unit did not join the run');
    const { payload } = last.run;
    expect(last.work.causationId).toBe('evt_1');
    expect(last.run.matchRunId).toBe(whole.matchRunId);
    expect(last.run.notSettlingTransactions).toBe(whole.notSettlingTransactions);
    expect(payload.counts).toEqual(whole.payload.counts);
    expect(payload.sums).toEqual(whole.payload.sums);
    expect(payload.inputs).toEqual(whole.payload.inputs);
    expect(payload.window).toEqual(whole.payload.window);
    expect(payload.results.prefix).toBe(matchesPrefix(String(partner), AS_OF, whole.matchRunId));
    expect(payload.results.parts.every((key) => key.startsWith(payload.results.prefix))).toBe(true);
    expect(recordsOf(silver.written, payload.results.parts).sort()).toEqual([...wholeRecords].sort());
    expect(SettlementsMatchedPayloadSchema.parse(payload)).toEqual(payload);
    expect((await ledger.work(windowScope(String(partner), AS_OF), whole.matchRunId))?.done).toBe(units);
  });
});
