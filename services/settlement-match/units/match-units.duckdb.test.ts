import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import { DEFAULT_SET_ENGINE_LIMITS, withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { createRandom } from '../../../test/sample-data/prng.ts';
import { matchingWindow } from '../business-dates.ts';
import type { MatchableSettlement, MatchableTransaction } from '../rows.ts';
import { matchLoadedRows, matchWindowInSql } from '../sql/match-window.ts';
import { loadWindow } from '../sql/window-tables.ts';
import { type OracleOutcome, oracleMatch } from '../test-support/oracle.ts';
import { randomRows, rulesForSeed, withLineage } from '../test-support/random-window.ts';
import { silverWindow } from '../test-support/silver-window.ts';
import { assignMatchUnits, loadUnitRows, writeUnitRows } from './match-units.ts';

const AS_OF = '2026-11-20';
const SEEDS = 30;

const rowId = (row: MatchableTransaction | MatchableSettlement) => `${row._file_id}#${row._row_number}`;

/** The unit of every row of the window, by file and row, as the SQL cut assigns it. */
async function unitsOf(
  rules: MatchingRules,
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
  unitCount: number,
): Promise<{ unitOf: Map<string, number>; components: number }> {
  const silver = silverWindow(transactions, settlements);
  return withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
    const { files } = await loadWindow(engine, {
      partner: rules.partner,
      asOf: AS_OF,
      window: matchingWindow(AS_OF, rules),
      rules,
      runs: silver.runs,
      objects: silver.objects,
    });
    const { components } = await assignMatchUnits(engine, rules, unitCount);
    const read = await engine.db.runAndReadAll(
      `SELECT x.file_no, x.row_number, u.unit FROM match_unit u JOIN tx x ON u.side = 0 AND u.seq = x.seq
       UNION ALL
       SELECT x.file_no, x.row_number, u.unit FROM match_unit u JOIN st x ON u.side = 1 AND u.seq = x.seq`,
    );
    const fileIdOf = new Map(files.map((file) => [file.fileNo, file.fileId]));
    const unitOf = new Map(
      read
        .getRows()
        .map(([fileNo, rowNumber, unit]) => [`${fileIdOf.get(Number(fileNo))}#${rowNumber}`, Number(unit)]),
    );
    return { unitOf, components };
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
      const { unitOf, components } = await unitsOf(rules, transactions, settlements, unitCount);
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
      if (components > 1 && new Set(unitOf.values()).size > 1) cutSeeds += 1;
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
      const folder = await mkdtemp(join(tmpdir(), 'finledger-match-units-'));

      try {
        // Act: the planner loads the window, cuts it and writes each unit; each unit is matched in its own session.
        const { loaded, written } = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
          const window = await loadWindow(engine, { ...request, window: matchingWindow(AS_OF, rules) });
          await assignMatchUnits(engine, rules, unitCount);
          // Small parts, so a unit's rows are read back from several files.
          return { loaded: window, written: await writeUnitRows(engine, folder, unitCount, 7) };
        });
        const units = [];
        for (const files of written)
          units.push(
            await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
              const local = (names: readonly string[]) => names.map((name) => join(folder, name));
              await loadUnitRows(engine, { tx: local(files.tx), st: local(files.st) });
              return collected(await matchLoadedRows(engine, target, loaded));
            }),
          );

        // Assess
        const cut = joined(units);
        const expected = joined([whole]);
        expect(cut.records).toEqual(expected.records);
        expect(cut.counts).toEqual(expected.counts);
        expect(cut.sums).toEqual(expected.sums);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  );
});

describe('assignMatchUnits on a long chain', () => {
  it('follows a chain that alternates passes to its end, one hop a round, and leaves a keyless row alone', async () => {
    // Prepare: tx i —pass 0— st i —pass 1— tx i+1 …, the smallest label (tx 0) at one end; tx 100 has no key.
    const links = 20;
    const rules = {
      passes: [
        { transactionField: 'transaction_id', settlementField: 'transaction_reference' },
        { transactionField: 'settlement_reference', settlementField: 'settlement_id' },
      ],
    } as unknown as Pick<MatchingRules, 'passes'>;
    const tx = Array.from({ length: links }, (_, i) => `(${i}, 'T${i}', ${i === 0 ? "''" : `'S${i - 1}'`})`);
    const st = Array.from({ length: links }, (_, i) => `(${i}, 'T${i}', 'S${i}')`);

    // Act
    const { assigned, cut } = await withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
      await engine.db.run(
        `CREATE TABLE tx AS SELECT * FROM (VALUES ${[...tx, "(100, '', '')"].join(', ')}) t(seq, transaction_id, settlement_reference)`,
      );
      await engine.db.run(
        `CREATE TABLE st AS SELECT * FROM (VALUES ${st.join(', ')}) s(seq, transaction_reference, settlement_id)`,
      );
      const cut = await assignMatchUnits(engine, rules, 3);
      const read = await engine.db.runAndReadAll(
        'SELECT side, seq, component FROM match_unit ORDER BY side, seq',
      );
      return { assigned: read.getRows().map((row) => row.map(Number)), cut };
    });

    // Assess
    expect(cut.components).toBe(2);
    expect(cut.rounds).toBeGreaterThanOrEqual(links);
    expect(assigned.filter(([, seq]) => seq !== 100).every(([, , component]) => component === 0)).toBe(true);
    expect(assigned.find(([side, seq]) => side === 0 && seq === 100)).toEqual([0, 100, 200]);
  });
});
