import { join } from 'node:path';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import { type SetEngine, sqlName, sqlText } from '../../../lib/duckdb/set-engine.ts';

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
 * the whole window does. Not yet wired into settlement-match: the worker and the join are the next step of #11.
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
 * component's hash modulo `unitCount`. Set work: each round joins rows to their keys and keys to their smallest
 * label; rounds stop when no label moves (about the longest chain of rows in a component, a few in practice).
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
  await engine.db.run(
    `CREATE OR REPLACE TEMP TABLE unit_labels AS
       SELECT 0::TINYINT AS side, seq, 2 * seq AS label FROM tx
       UNION ALL SELECT 1::TINYINT, seq, 2 * seq + 1 FROM st`,
  );
  let rounds = 0;
  for (;;) {
    if (rounds >= MAX_COMPONENT_ROUNDS) throw new ComponentsDidNotSettleError(rounds);
    rounds += 1;
    // The smallest label on each key, then on each row over its keys; rows without a key keep their own.
    await engine.db.run(
      `CREATE OR REPLACE TEMP TABLE unit_next AS
       WITH key_labels AS (
         SELECT k.key, min(l.label) AS label FROM unit_keys k JOIN unit_labels l USING (side, seq) GROUP BY k.key),
       row_labels AS (
         SELECT k.side, k.seq, min(kl.label) AS label FROM unit_keys k JOIN key_labels kl USING (key)
         GROUP BY k.side, k.seq)
       SELECT l.side, l.seq, least(l.label, coalesce(r.label, l.label)) AS label
       FROM unit_labels l LEFT JOIN row_labels r USING (side, seq)`,
    );
    const moved = await engine.db.runAndReadAll(
      `SELECT count(*)::BIGINT FROM unit_next n JOIN unit_labels l USING (side, seq) WHERE n.label <> l.label`,
    );
    await engine.db.run('DROP TABLE unit_labels');
    await engine.db.run('ALTER TABLE unit_next RENAME TO unit_labels');
    if (Number(moved.getRows()[0]?.[0] ?? 0) === 0) break;
  }
  await engine.db.run(
    `CREATE OR REPLACE TABLE match_unit AS
       SELECT side, seq, label AS component, (hash(label) % ${unitCount})::INTEGER AS unit FROM unit_labels`,
  );
  await engine.db.run('DROP TABLE unit_labels');
  await engine.db.run('DROP TABLE unit_keys');
  const components = await engine.db.runAndReadAll(
    'SELECT count(DISTINCT component)::BIGINT FROM match_unit',
  );
  return { rounds, components: Number(components.getRows()[0]?.[0] ?? 0) };
}

/**
 * Each row's join values, one per pass that can use it: `<pass>:<value>`, the same text on both sides of a pass.
 * Empty and missing values join nothing (as in `pass-sql.ts`), so they are left out.
 */
function rowKeysSql(rules: Pick<MatchingRules, 'passes'>): string {
  return rules.passes
    .flatMap((pass, passNo) => [
      `SELECT 0::TINYINT AS side, seq, '${passNo}:' || ${sqlName(pass.transactionField)} AS key FROM tx
       WHERE ${sqlName(pass.transactionField)} <> ''`,
      `SELECT 1::TINYINT AS side, seq, '${passNo}:' || ${sqlName(pass.settlementField)} AS key FROM st
       WHERE ${sqlName(pass.settlementField)} <> ''`,
    ])
    .join(' UNION ALL ');
}

const unitFile = (folder: string, side: 'tx' | 'st', unit: number): string =>
  join(folder, `${side}-unit-${unit}.parquet`);

/**
 * Write each unit's rows of the loaded window (`tx`, `st` with `match_unit`) to `folder`, one Parquet file per side
 * and unit (an empty unit gets empty files, so every unit loads the same way).
 * @example await writeUnitRows(engine, folder, 8)
 */
export async function writeUnitRows(engine: SetEngine, folder: string, unitCount: number): Promise<void> {
  for (const [side, sideNo] of [
    ['tx', 0],
    ['st', 1],
  ] as const)
    for (let unit = 0; unit < unitCount; unit += 1)
      await engine.db.run(
        `COPY (SELECT x.* FROM ${side} x JOIN match_unit u ON u.side = ${sideNo} AND u.seq = x.seq
               WHERE u.unit = ${unit} ORDER BY x.seq)
         TO ${sqlText(unitFile(folder, side, unit))} (FORMAT parquet)`,
      );
}

/**
 * Load one unit's rows as `tx` and `st` in a session of its own, ready for `matchLoadedRows`.
 * @example await loadUnitRows(engine, folder, 3)
 */
export async function loadUnitRows(engine: SetEngine, folder: string, unit: number): Promise<void> {
  for (const side of ['tx', 'st'] as const)
    await engine.db.run(
      `CREATE TABLE ${side} AS SELECT * FROM read_parquet(${sqlText(unitFile(folder, side, unit))})`,
    );
}
