import { describe, expect, it } from 'vitest';
import { RecordsDeduplicatedPayloadSchema } from '../../../contracts/events/records-deduplicated.ts';
import { memoryUnitLedger } from '../../../lib/work-units/test-support/memory-unit-ledger.ts';
import type { WorkUnit } from '../../../lib/work-units/work-unit.ts';
import { createRandom } from '../../../test/sample-data/prng.ts';
import { type DedupFileInput, dedupFile, type RecordsDeduplicatedPayload } from '../dedup.ts';
import type { ConflictEntry, DuplicateEntry } from '../dedup-outputs.ts';
import { findKeyRecords } from '../key-history/find-key-records.ts';
import {
  landSilver,
  memoryHistory,
  memoryObjects,
  SILVER_BUCKET,
  testConfig,
  testPorts,
} from '../test-support/fakes.ts';
import { generatedFiles } from '../test-support/generated-files.ts';
import { entries, uniqueRows } from '../test-support/read-outputs.ts';
import {
  type DedupUnitResult,
  type DedupUnitsWork,
  dedupUnit,
  dispatchDedupUnits,
  sliceBuckets,
} from './dedup-units.ts';

const ORIGIN = { correlationId: 'corr-1', causationId: 'evt-1' };

/** Dedup a file in units: dispatch, then run the units in a shuffled order, twice each; the joined payload. */
async function dedupInUnits(
  input: DedupFileInput,
  world: { objects: ReturnType<typeof memoryObjects>; history: ReturnType<typeof memoryHistory> },
  rowsPerUnit: number,
  seed: number,
): Promise<RecordsDeduplicatedPayload> {
  const config = testConfig();
  const ports = testPorts(world.objects, world.history);
  const ledger = memoryUnitLedger<DedupUnitsWork, DedupUnitResult>();
  const sent: WorkUnit[] = [];
  const deps = {
    ledger,
    dispatch: async (units: readonly WorkUnit[]) => void sent.push(...units),
    sizes: { aboveRows: 0, rowsPerUnit },
  };
  await dispatchDedupUnits(input, ORIGIN, config, deps);
  const random = createRandom(seed);
  const order = [...sent, ...sent].sort(() => random.next() - 0.5);
  const joined: RecordsDeduplicatedPayload[] = [];
  for (const unit of order) {
    const end = await dedupUnit(unit, ports, config, ledger);
    if (end.kind === 'joined') joined.push(end.payload);
  }
  expect(joined.length).toBeGreaterThan(0);
  for (const payload of joined) expect(payload).toEqual(joined[0]);
  return joined[0] as RecordsDeduplicatedPayload;
}

/** What a payload says, independent of how its rows were cut into parts. */
async function comparable(objects: ReturnType<typeof memoryObjects>, payload: RecordsDeduplicatedPayload) {
  const byRow = <T extends { row: { rowNumber: number } }>(list: T[]) =>
    list.sort((a, b) => a.row.rowNumber - b.row.rowNumber);
  return {
    counts: payload.counts,
    totals: payload.totals,
    unique: (await uniqueRows(objects, payload.unique)).sort((a, b) => a.rowNumber - b.rowNumber),
    duplicates: byRow(entries<DuplicateEntry>(objects, payload.duplicates)),
    conflicts: byRow(entries<ConflictEntry>(objects, payload.conflicts)),
  };
}

describe('dedup in units', () => {
  it('cuts the buckets into contiguous slices of about the unit size, at most one bucket each', () => {
    expect(sliceBuckets(12_000_000, 1, 5_000_000).map((slice) => slice.buckets.join(''))).toEqual([
      '01234',
      '56789',
      'abcdef',
    ]);
    expect(sliceBuckets(10, 1, 5_000_000)).toEqual([{ index: 0, buckets: [...'0123456789abcdef'] }]);
    expect(sliceBuckets(10_000, 1, 1)).toHaveLength(16);
  });

  it.each([17])(
    'gives what the file deduplicated whole gives, with 1 unit and with 3 to 5 (seed %i)',
    async (seed) => {
      for (const rowsPerUnit of [1_000, 12]) {
        // Prepare: the same files on two fresh worlds.
        const files = generatedFiles(seed, { files: 3, rows: [30, 60], ids: 50 });
        const whole = { objects: memoryObjects(), history: memoryHistory() };
        const inUnits = { objects: memoryObjects(), history: memoryHistory() };

        // Act
        const expected = [];
        const actual = [];
        for (const file of files) {
          const payload = await dedupFile(
            landSilver(whole.objects, file),
            testPorts(whole.objects, whole.history),
            testConfig(),
          );
          expected.push(await comparable(whole.objects, payload));
          const joined = await dedupInUnits(landSilver(inUnits.objects, file), inUnits, rowsPerUnit, seed);
          RecordsDeduplicatedPayloadSchema.parse(joined);
          actual.push(await comparable(inUnits.objects, joined));
        }

        // Assess: every outcome occurred; units agree with the whole file on all of it, and on the key history.
        expect(expected.some((file) => file.conflicts.length > 0)).toBe(true);
        expect(expected.some((file) => file.duplicates.some((entry) => entry.scope === 'cross-file'))).toBe(
          true,
        );
        expect(actual).toEqual(expected);
        const owner = { dataset: 'transactions' as const, partner: 'acme-bank' };
        const records = async (world: typeof whole) =>
          findKeyRecords(
            { objects: world.objects.objects, history: world.history.history },
            SILVER_BUCKET,
            owner,
          );
        expect(await records(inUnits)).toEqual(await records(whole));
      }
    },
  );
});
