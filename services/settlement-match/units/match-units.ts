import { join } from 'node:path';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import { type SetEngine, sqlName, sqlPaths, sqlText } from '../../../lib/duckdb/set-engine.ts';
import { partNumber } from '../../../lib/parquet/part-keys.ts';

/**
 * How a partner's window is cut into matching units (issue #11, item 3): rows that any pass of the rules could put
 * in one group, directly or through other rows, are one *component*, and a component is never split. Every pass
 * joins a transaction column to a settlement column on equal non-empty values, so the components are the connected
 * parts of the graph whose edges are those equal values, over every pass at once: a payout batch (N:1), instalments
 * (1:N), an ambiguous key and a row that a later pass picks up after an earlier one left it open all stay inside
 * one component. Matching decides each component alone (groups, ambiguity and outcomes only ever look at rows
 * sharing a key), so matching the units one by one gives what matching the whole window gives
 * (`match-units.duckdb.test.ts` proves it against `matchSettlements`).
 *
 * A unit's rows keep the window's canonical `seq`, so `matchLoadedRows` over one unit orders and decides them as
 * the whole window does. `match-unit-run.ts` plans, runs and joins the units in settlement-match.
 */

/** Rounds of label propagation before the cut gives up: a chain that long is a data problem worth an operator. */
export const MAX_COMPONENT_ROUNDS = 10_000;

/** Thrown when the components do not settle within `MAX_COMPONENT_ROUNDS`. */
export class ComponentsDidNotSettleError extends Error {
  constructor(readonly rounds: number) {
    super(
      `The matching components did not settle after ${rounds} rounds: some key chain links more rows than expected. ` +
        'Match the window whole (no units) and look for a reference value shared by a very long chain of rows.',
    );
    this.name = 'ComponentsDidNotSettleError';
  }
}

/**
 * Label every row of the loaded window (`tx`, `st` of `window-tables.ts`) with its component and unit, as the table
 * `match_unit (side, seq, component, unit)`: side 0 a transaction, 1 a settlement; `component` the smallest label
 * of the component (a row's own label is `2 × seq + side`, so it names one row of the window); `unit` the
 * component's hash modulo `unitCount`. Set work on integers: each row's join values become 64-bit hashes of
 * `(pass, value)` (a collision can only merge two components, never split one, so the cut stays sound); each round
 * gives every key the smallest label of its rows and every row the smallest label of its keys, revisiting only the
 * keys of rows whose label moved in the round before (labels only fall); rounds stop when no label moves (about
 * the longest chain of rows in a component, a few in practice). Rows without a key are components of their own.
 * @example await assignMatchUnits(engine, rules, 8); // SELECT unit, count(*) FROM match_unit GROUP BY unit
 */
export async function assignMatchUnits(
  engine: SetEngine,
  rules: Pick<MatchingRules, 'passes'>,
  unitCount: number,
): Promise<{ rounds: number; components: number }> {
  if (!Number.isInteger(unitCount) || unitCount < 1)
    throw new Error(`A window is cut into at least one unit, got ${unitCount}.`);
  await engine.db.run(`CREATE OR REPLACE TEMP TABLE unit_keys AS ${rowKeysSql(rules)}`);
  // Round 1: every row's label is its own id, so a key's smallest label is its smallest row.
  await engine.db.run(
    `CREATE OR REPLACE TEMP TABLE unit_labels AS
       WITH key_labels AS (SELECT key, min(row) AS label FROM unit_keys GROUP BY key)
       SELECT k.row, min(kl.label) AS label FROM unit_keys k JOIN key_labels kl USING (key) GROUP BY k.row`,
  );
  await engine.db.run(
    'CREATE OR REPLACE TEMP TABLE unit_moved AS SELECT row FROM unit_labels WHERE label < row',
  );
  let rounds = 1;
  // Later rounds only revisit the keys of rows whose label moved: no other key's smallest label can change.
  while (await tableHasRows(engine, 'unit_moved')) {
    if (rounds >= MAX_COMPONENT_ROUNDS) throw new ComponentsDidNotSettleError(rounds);
    rounds += 1;
    await engine.db.run(
      `CREATE OR REPLACE TEMP TABLE unit_next AS
       WITH touched AS (SELECT DISTINCT k.key FROM unit_keys k JOIN unit_moved m USING (row)),
       key_labels AS (
         SELECT k.key, min(l.label) AS label
         FROM unit_keys k JOIN touched t USING (key) JOIN unit_labels l USING (row) GROUP BY k.key),
       row_labels AS (
         SELECT k.row, min(kl.label) AS label FROM unit_keys k JOIN key_labels kl USING (key) GROUP BY k.row)
       SELECT r.row, r.label FROM row_labels r JOIN unit_labels l USING (row) WHERE r.label < l.label`,
    );
    await engine.db.run(
      'UPDATE unit_labels SET label = n.label FROM unit_next n WHERE unit_labels.row = n.row',
    );
    await engine.db.run('DROP TABLE unit_moved');
    await engine.db.run('ALTER TABLE unit_next RENAME TO unit_moved');
  }
  await engine.db.run('DROP TABLE unit_moved');
  await engine.db.run(
    `CREATE OR REPLACE TABLE match_unit AS
       WITH window_rows AS (
         SELECT 0::TINYINT AS side, seq, 2 * seq AS row FROM tx UNION ALL SELECT 1::TINYINT, seq, 2 * seq + 1 FROM st)
       SELECT w.side, w.seq, coalesce(l.label, w.row) AS component,
         (hash(coalesce(l.label, w.row)) % ${unitCount})::INTEGER AS unit
       FROM window_rows w LEFT JOIN unit_labels l USING (row)`,
  );
  await engine.db.run('DROP TABLE unit_labels');
  await engine.db.run('DROP TABLE unit_keys');
  const components = await engine.db.runAndReadAll(
    'SELECT count(DISTINCT component)::BIGINT FROM match_unit',
  );
  return { rounds, components: Number(components.getRows()[0]?.[0] ?? 0) };
}

async function tableHasRows(engine: SetEngine, table: string): Promise<boolean> {
  const found = await engine.db.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM ${table})`);
  return found.getRows()[0]?.[0] === true;
}

/**
 * Each row's join values, one per pass that can use it: the row as `2 × seq + side`, the value as a 64-bit hash of
 * `(pass, value)`, the same on both sides of a pass. Empty and missing values join nothing (as in `pass-sql.ts`),
 * so they are left out.
 */
function rowKeysSql(rules: Pick<MatchingRules, 'passes'>): string {
  return rules.passes
    .flatMap((pass, passNo) => [
      `SELECT 2 * seq AS row, hash(${passNo}, ${sqlName(pass.transactionField)}) AS key FROM tx
       WHERE ${sqlName(pass.transactionField)} <> ''`,
      `SELECT 2 * seq + 1 AS row, hash(${passNo}, ${sqlName(pass.settlementField)}) AS key FROM st
       WHERE ${sqlName(pass.settlementField)} <> ''`,
    ])
    .join(' UNION ALL ');
}

/** One unit's rows as written: Parquet files per side, in `seq` order, at most `rowsPerPart` rows each. */
export interface UnitRowFiles {
  readonly unit: number;
  /** File names under the folder; at least one per side (empty when the unit has no row of that side). */
  readonly tx: readonly string[];
  readonly st: readonly string[];
  /** Transactions and settlements of the unit. */
  readonly rows: number;
}

const unitFile = (side: 'tx' | 'st', unit: number, part: number): string =>
  `${side}-unit-${partNumber(unit)}-part-${partNumber(part)}.parquet`;

/**
 * Write each unit's rows of the loaded window (`tx`, `st` with `match_unit`) to `folder` as Parquet files of at most
 * `rowsPerPart` rows (so a unit is moved one bounded object at a time), every row in exactly one file. The cut is a
 * pure function of the rows: the same window gives the same files, whoever writes them.
 * @example const units = await writeUnitRows(engine, folder, 8, 1_000_000) // units[3].tx: ['tx-unit-00003-part-00000.parquet']
 */
export async function writeUnitRows(
  engine: SetEngine,
  folder: string,
  unitCount: number,
  rowsPerPart: number,
): Promise<UnitRowFiles[]> {
  if (!Number.isInteger(rowsPerPart) || rowsPerPart < 1)
    throw new Error(`A unit part holds at least one row, got ${rowsPerPart}.`);
  const written = Array.from({ length: unitCount }, (_, unit) => ({
    unit,
    tx: [] as string[],
    st: [] as string[],
    rows: 0,
  }));
  for (const [side, sideNo] of [
    ['tx', 0],
    ['st', 1],
  ] as const) {
    await engine.db.run(
      `CREATE OR REPLACE TEMP TABLE unit_rows AS
         SELECT x.*, u.unit AS unit_no,
           ((row_number() OVER (PARTITION BY u.unit ORDER BY x.seq) - 1) // ${rowsPerPart})::INTEGER AS part_no
         FROM ${side} x JOIN match_unit u ON u.side = ${sideNo} AND u.seq = x.seq`,
    );
    const counts = await engine.db.runAndReadAll(
      'SELECT unit_no, count(*)::BIGINT FROM unit_rows GROUP BY unit_no',
    );
    const rowsOf = new Map(counts.getRows().map(([unit, rows]) => [Number(unit), Number(rows)]));
    for (const unit of written) {
      const rows = rowsOf.get(unit.unit) ?? 0;
      unit.rows += rows;
      for (let part = 0; part < Math.max(1, Math.ceil(rows / rowsPerPart)); part += 1) {
        const name = unitFile(side, unit.unit, part);
        await engine.db.run(
          `COPY (SELECT * EXCLUDE (unit_no, part_no) FROM unit_rows WHERE unit_no = ${unit.unit} AND part_no = ${part}
                 ORDER BY seq)
           TO ${sqlText(join(folder, name))} (FORMAT parquet)`,
        );
        unit[side].push(name);
      }
    }
    await engine.db.run('DROP TABLE unit_rows');
  }
  return written;
}

/**
 * Load one unit's rows (`writeUnitRows` files, staged locally) as `tx` and `st` in a session of its own, ready for
 * `matchLoadedRows`.
 * @example await loadUnitRows(engine, { tx: ['/tmp/…/tx-unit-00003-part-00000.parquet'], st: [ … ] })
 */
export async function loadUnitRows(
  engine: SetEngine,
  paths: { readonly tx: readonly string[]; readonly st: readonly string[] },
): Promise<void> {
  for (const side of ['tx', 'st'] as const)
    await engine.db.run(`CREATE TABLE ${side} AS SELECT * FROM read_parquet(${sqlPaths(paths[side])})`);
}
