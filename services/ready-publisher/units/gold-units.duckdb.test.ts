import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { ObjectRef } from '../../../contracts/events/envelope.ts';
import { DEFAULT_SET_ENGINE_LIMITS, withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { memoryUnitLedger } from '../../../lib/work-units/test-support/memory-unit-ledger.ts';
import { createRandom } from '../../../test/sample-data/prng.ts';
import { buildGoldPartition } from '../gold-build.ts';
import type { GoldPartition, GoldTarget } from '../gold-partition.ts';
import { type CuratedDay, curatedDay } from '../test-support/curated-parts.ts';
import { DATE } from '../test-support/facts.ts';
import { contractOf, generatedFiles } from '../test-support/generated-day.ts';
import {
  buildGoldUnit,
  type GoldUnit,
  type GoldUnitResult,
  type GoldUnitsWork,
  planGoldUnits,
} from './gold-units.ts';

const readRows = async (bytes: Uint8Array) =>
  parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  });

async function builtWhole(day: CuratedDay, target: GoldTarget) {
  return withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
    const partition = await buildGoldPartition({ ...day, target, engine });
    const rows = [];
    for (const part of partition.parts) rows.push(...(await readRows(await part.read())));
    return { partition, rows };
  });
}

/** A gold bucket in memory with `putObjectOnce`'s never-overwrite semantics, serving the day's silver too. */
function goldStore(day: CuratedDay) {
  const gold = new Map<string, Uint8Array>();
  return {
    gold,
    ports: {
      getObject: async (ref: ObjectRef) => gold.get(ref.key) ?? day.getObject(ref),
      putObjectOnce: async (object: { key: string; bytes: Uint8Array }) => {
        if (gold.has(object.key)) return 'exists' as const;
        gold.set(object.key, object.bytes);
        return 'created' as const;
      },
    },
  };
}

/** Plan the day in `units` units (twice, as a redelivered trigger would), then build every unit in `order`. */
async function builtInUnits(day: CuratedDay, target: GoldTarget, units: number, order: readonly number[]) {
  const store = goldStore(day);
  const ledger = memoryUnitLedger<GoldUnitsWork, GoldUnitResult>();
  const sent: GoldUnit[] = [];
  const rows = day.runs.reduce((total, run) => total + run.counts.unique, 0);
  const deps = {
    ledger,
    dispatch: async (batch: readonly GoldUnit[]) => {
      sent.push(...batch);
    },
    sizes: { aboveRows: 0, rowsPerUnit: Math.ceil(rows / units) },
  };
  const request = {
    target,
    causationId: 'ev_trigger',
    now: new Date(`${DATE}T23:00:00Z`),
    evaluation: { dataset: target.dataset, businessDate: DATE, ready: true, gates: [] },
    reconciliations: [],
    runs: day.runs,
    rows,
  };
  await planGoldUnits(request, store.ports, { goldBucket: 'gold' }, deps);
  await planGoldUnits(request, store.ports, { goldBucket: 'gold' }, deps);
  const ends = [];
  for (const index of order)
    ends.push(
      await buildGoldUnit(
        sent[index] as GoldUnit,
        store.ports,
        { engine: DEFAULT_SET_ENGINE_LIMITS },
        ledger,
      ),
    );
  return { store, sent, ends };
}

const totalsOf = ({ contentHash, buckets, rowCount, sums, byPartner, prefix }: GoldPartition) => ({
  contentHash,
  buckets,
  rowCount,
  sums,
  byPartner,
  prefix,
});

describe('gold in units', () => {
  it.each([
    ['transactions', 11, 2],
    ['settlements', 23, 3],
    ['transactions', 37, 7],
  ])(
    'gives %s (seed %i) in %i units, built out of order with one redelivered, the content hash, rows and sums of one build',
    async (dataset, seed, units) => {
      // Prepare
      const contract = contractOf(dataset);
      const target = { dataset: contract.name, businessDate: DATE, runId: 'run_gold_units', schemaV: 1 };
      const day = await curatedDay(contract, DATE, generatedFiles(contract, seed));
      const whole = await builtWhole(day, target);
      const random = createRandom(seed);
      const order = Array.from({ length: units }, (_, index) => index).sort(() => random.next() - 0.5);
      const redelivered = order[0] as number;

      // Act
      const { store, sent, ends } = await builtInUnits(day, target, units, [
        ...order.slice(0, -1),
        redelivered,
        order[order.length - 1] as number,
      ]);

      // Assess: every unit sent twice (one per planning), the set joined once, by the last unit.
      expect(sent.map((unit) => unit.index)).toEqual([...Array(units).keys(), ...Array(units).keys()]);
      expect(ends.slice(0, -1).every((end) => end.kind === 'waiting')).toBe(true);
      const joined = ends[ends.length - 1];
      if (joined?.kind !== 'joined') throw new Error('the last unit did not join the set');
      expect(totalsOf(joined.partition)).toEqual(totalsOf(whole.partition));
      expect(joined.partition.rowCount).toBeGreaterThan(100);
      // The units' parts, read in the joined order, are the rows of the one build, in the same order.
      const rows = [];
      for (const part of joined.partition.parts)
        rows.push(...(await readRows(store.gold.get(part.key) as Uint8Array)));
      expect(rows).toEqual(whole.rows);
      const keys = joined.partition.parts.map((part) => part.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...store.gold.keys()].filter((key) => key.startsWith('gold/')).sort()).toEqual(
        [...keys].sort(),
      );
      expect([...store.gold.keys()].filter((key) => !key.startsWith('gold/'))).toEqual([
        'gold-units/dataset=' + dataset + '/dt=' + DATE + '/run_id=run_gold_units/plan.json',
      ]);
    },
  );
});
