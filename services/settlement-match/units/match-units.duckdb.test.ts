import { describe, expect, it } from 'vitest';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import { DEFAULT_SET_ENGINE_LIMITS, withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { createRandom } from '../../../test/sample-data/prng.ts';
import { matchingWindow } from '../business-dates.ts';
import type { MatchableSettlement, MatchableTransaction } from '../rows.ts';
import { matchLoadedRows, matchWindowInSql } from '../sql/match-window.ts';
import { type OracleOutcome, oracleMatch } from '../test-support/oracle.ts';
import { randomRows, rulesForSeed, withLineage } from '../test-support/random-window.ts';
import { silverWindow } from '../test-support/silver-window.ts';
import { addRowKeys, assignMatchUnits, loadUnitRows, unitOfRowSql } from './match-units.ts';
import { readWindowKeys, scatterUnitRows } from './window-cut.ts';

const AS_OF = '2026-11-20';
const SEEDS = 30;

const rowId = (row: MatchableTransaction | MatchableSettlement) => `${row._file_id}#${row._row_number}`;

/** The unit of every matched row of the window, by file and row, as the SQL cut assigns it. */
async function unitsOf(
  rules: MatchingRules,
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
  unitCount: number,
): Promise<Map<string, number>> {
  const silver = silverWindow(transactions, settlements);
  return withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
    const { files } = await readWindowKeys(
      engine,
      {
        partner: rules.partner,
        asOf: AS_OF,
        window: matchingWindow(AS_OF, rules),
        rules,
        runs: silver.runs,
        objects: silver.objects,
      },
      5,
    );
    await assignMatchUnits(engine, unitCount);
    // A row without a key is not in match_unit: its own component's unit.
    const read = await engine.db.runAndReadAll(
      `SELECT (w.row >> 36) & ${2 ** 26 - 1}, w.row & ${2 ** 36 - 1},
         coalesce(u.unit, ${unitOfRowSql('w.row', unitCount)})
       FROM window_rows w LEFT JOIN match_unit u USING (row)`,
    );
    const fileIdOf = new Map(files.map((file) => [file.fileNo, file.fileId]));
    const unitOf = new Map(
      read
        .getRows()
        .map(([fileNo, rowNumber, unit]) => [`${fileIdOf.get(Number(fileNo))}#${rowNumber}`, Number(unit)]),
    );
    return unitOf;
  });
}

/** Every money figure of a sums tree by its path (`transactions.matched.EUR`), zeros left out. */
function addSums(tree: unknown, into: Map<string, bigint>, path = ''): void {
  if (typeof tree === 'string') into.set(path, (into.get(path) ?? 0n) + BigInt(tree));
  else if (tree && typeof tree === 'object')
    for (const [name, value] of Object.entries(tree)) addSums(value, into, path ? `${path}.${name}` : name);
}

/** The outcomes of the units matched one by one, joined: records as a sorted list, counts and sums added. */
function joined(outcomes: readonly Pick<OracleOutcome, 'records' | 'counts' | 'sums'>[]) {
  const counts: Record<string, number> = {};
  const sums = new Map<string, bigint>();
  for (const outcome of outcomes) {
    for (const [name, value] of Object.entries(outcome.counts)) counts[name] = (counts[name] ?? 0) + value;
    addSums(outcome.sums, sums);
  }
  return {
    records: outcomes.flatMap((outcome) => outcome.records.map((record) => JSON.stringify(record))).sort(),
    counts,
    sums: Object.fromEntries(
      [...sums].filter(([, minor]) => minor !== 0n).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  };
}

/** Seeds whose window was really cut (more than one component, in more than one unit). */
let cutSeeds = 0;

describe('the matching unit cut (components over every pass’s keys)', () => {
  it.each(Array.from({ length: SEEDS }, (_, seed) => seed))(
    'matches each unit alone to what the whole window gives, seed %i',
    async (seed) => {
      // Prepare
      const random = createRandom(seed + 31_001);
      const rules = rulesForSeed(seed, random);
      const rows = randomRows(random, rules, AS_OF);
      const transactions = withLineage(rows.transactions, 'transactions', random);
      const settlements = withLineage(rows.settlements, 'settlements', random);
      const unitCount = random.int(2, 7);
      const whole = joined([
        oracleMatch({ partner: rules.partner, asOf: AS_OF, rules, transactions, settlements }),
      ]);

      // Act: rows outside the settled types are in no unit (counted apart), so they go with unit 0.
      const unitOf = await unitsOf(rules, transactions, settlements, unitCount);
      const units = Array.from({ length: unitCount }, (_, unit) =>
        oracleMatch({
          partner: rules.partner,
          asOf: AS_OF,
          rules,
          transactions: transactions.filter((row) => (unitOf.get(rowId(row)) ?? 0) === unit),
          settlements: settlements.filter((row) => unitOf.get(rowId(row)) === unit),
        }),
      );

      // Assess
      expect(settlements.every((row) => unitOf.has(rowId(row)))).toBe(true);
      if (new Set(unitOf.values()).size > 1) cutSeeds += 1;
      const cut = joined(units);
      expect(cut.records).toEqual(whole.records);
      expect(cut.counts).toEqual(whole.counts);
      expect(cut.sums).toEqual(whole.sums);
    },
  );

  it('really cut most windows into several units', () => {
    expect(cutSeeds).toBeGreaterThanOrEqual(SEEDS * 0.8);
  });
});

/** Records, counts and sums of a SQL match, read while its session is open. */
async function collected(match: Awaited<ReturnType<typeof matchLoadedRows>>) {
  const records = [];
  for await (const record of match.records()) records.push(record);
  return { records, counts: match.counts, sums: match.sums };
}

/** Seeds where some unit read more than one object a side (several batches or chunks). */
let scatteredSeeds = 0;

describe('the SQL match over units (planner writes each unit, a session per unit matches it)', () => {
  it.each(Array.from({ length: SEEDS / 2 }, (_, seed) => seed))(
    'adds up to the whole window matched in SQL, seed %i',
    async (seed) => {
      // Prepare
      const random = createRandom(seed + 41_001);
      const rules = rulesForSeed(seed, random);
      const rows = randomRows(random, rules, AS_OF);
      const silver = silverWindow(
        withLineage(rows.transactions, 'transactions', random),
        withLineage(rows.settlements, 'settlements', random),
      );
      const target = { partner: rules.partner, asOf: AS_OF, rules };
      const request = { ...target, runs: silver.runs, objects: silver.objects };
      const unitCount = random.int(2, 6);
      const whole = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) =>
        collected(await matchWindowInSql(engine, request)),
      );

      // Act: the planner reads the window's keys, cuts them and scatters each part's rows to the units' objects
      // (small objects, gathered a few rows at a time, so a unit reads several); a session per unit matches it.
      const { keys, written } = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
        const keys = await readWindowKeys(engine, { ...request, window: matchingWindow(AS_OF, rules) }, 11);
        await assignMatchUnits(engine, unitCount);
        const written = await scatterUnitRows(engine, keys.parts, silver.runs, rules, {
          unitCount,
          rowsPerPart: 7,
          rowsPerBatch: 11,
          prefix: { bucket: 'silver', key: 'units/' },
          objects: silver.objects,
        });
        return { keys, written };
      });
      const units = [];
      for (const objects of written)
        units.push(
          await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
            const staged = async (keys: readonly string[]) =>
              Promise.all(
                keys.map(async (key, at) =>
                  engine.stage(
                    `unit-${at}-${key.slice(key.lastIndexOf('/') + 1)}`,
                    silver.written.get(key) as Uint8Array,
                  ),
                ),
              );
            await loadUnitRows(engine, { tx: await staged(objects.tx), st: await staged(objects.st) });
            return collected(await matchLoadedRows(engine, target, keys));
          }),
        );

      // Assess
      const cut = joined(units);
      const expected = joined([whole]);
      expect(written.reduce((sum, unit) => sum + unit.rows, 0)).toBe(
        (expected.counts.transactions ?? 0) + (expected.counts.settlements ?? 0),
      );
      if (written.some((unit) => unit.tx.length + unit.st.length > 2)) scatteredSeeds += 1;
      expect(cut.records).toEqual(expected.records);
      expect(cut.counts).toEqual(expected.counts);
      expect(cut.sums).toEqual(expected.sums);
    },
  );

  it('really scattered most windows into several objects a unit', () => {
    expect(scatteredSeeds).toBeGreaterThanOrEqual(SEEDS / 4);
  });
});

describe('assignMatchUnits on a long chain', () => {
  it('follows a chain that alternates passes to its end, one key a round, and leaves a keyless row alone', async () => {
    // Prepare: tx i —pass 0— st i —pass 1— tx i+1 …: one path of keys T0, S0, T1, S1, …; row 200 has no key.
    const links = 20;
    const rules = {
      passes: [
        { transactionField: 'transaction_id', settlementField: 'transaction_reference' },
        { transactionField: 'settlement_reference', settlementField: 'settlement_id' },
      ],
    } as unknown as Pick<MatchingRules, 'passes'>;
    const tx = Array.from(
      { length: links },
      (_, i) => `(${2 * i}, 'T${i}', ${i === 0 ? "''" : `'S${i - 1}'`})`,
    );
    const st = Array.from({ length: links }, (_, i) => `(${2 * i + 1}, 'T${i}', 'S${i}')`);

    // Act
    const { assigned, cut } = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
      await engine.db.run(
        `CREATE TABLE tx AS SELECT * FROM (VALUES ${[...tx, "(200, '', '')"].join(', ')}) t(row, transaction_id, settlement_reference)`,
      );
      await engine.db.run(
        `CREATE TABLE st AS SELECT * FROM (VALUES ${st.join(', ')}) s(row, transaction_reference, settlement_id)`,
      );
      await addRowKeys(engine, rules, 'tx', 'tx');
      await addRowKeys(engine, rules, 'st', 'st');
      // So many units that two components would almost surely land in two.
      const cut = await assignMatchUnits(engine, 2 ** 31 - 1);
      const read = await engine.db.runAndReadAll('SELECT row, unit FROM match_unit ORDER BY row');
      return { assigned: read.getRows().map(([row, unit]) => [Number(row), Number(unit)]), cut };
    });

    // Assess
    // 2 × links keys in one path: the smallest spreads at least half way along it, one key a round.
    expect(cut.rounds).toBeGreaterThanOrEqual(links);
    expect(assigned).toHaveLength(2 * links);
    expect(new Set(assigned.map(([, unit]) => unit)).size).toBe(1);
    expect(assigned.some(([row]) => row === 200)).toBe(false);
  });
});
