import type { MatchingRules } from '../../../config/matching-rules.ts';
import { type SetEngine, sqlName, sqlPaths } from '../../../lib/duckdb/set-engine.ts';
import { createRowTables } from '../sql/window-staging.ts';
import { numberCanonically } from '../sql/window-tables.ts';

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
 * The planner never holds the window's rows (`window-cut.ts`): it reads each input part for its row ids and join
 * values only, cuts those integers, then reads each part again to scatter its rows to the units' objects. A unit
 * numbers its rows canonically itself; the order of a subset is the window's restricted to it, so `matchLoadedRows`
 * over one unit orders and decides them as the whole window does. `match-unit-run.ts` plans, runs and joins the
 * units in settlement-match.
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
 * Give every matched row of the window the unit of its component, as the table `match_unit (row, unit)` in row
 * order, for the rows holding at least one key; a row without a key is a component of its own, in unit
 * `unitOfRowSql(row)`. Reads the tables `addRowKeys` fills: `row_first (row, key)` and `key_edges (a, b)`. Set work
 * on integers, over the keys rather than the rows: two rows share a component when their keys do, and only a row
 * holding several keys links keys, so the components are those of the graph of keys whose edges are such rows.
 * Each round gives every key the smallest label of its neighbours, revisiting only the neighbours of keys whose
 * label moved in the round before (labels only fall); rounds stop when no label moves (about the longest chain of
 * keys in a component). A component's label is its smallest key; its unit is the label's hash modulo `unitCount`
 * (`unitOfRowSql`).
 * @example await assignMatchUnits(engine, 8); // SELECT unit, count(*) FROM match_unit GROUP BY unit
 */
export async function assignMatchUnits(engine: SetEngine, unitCount: number): Promise<{ rounds: number }> {
  if (!Number.isInteger(unitCount) || unitCount < 1)
    throw new Error(`A window is cut into at least one unit, got ${unitCount}.`);
  // Both directions of each edge, as a view: at 100M rows the edges are ~1.3 GB, twice that materialised.
  await engine.db.run(
    'CREATE OR REPLACE TEMP VIEW key_links AS SELECT a, b FROM key_edges UNION ALL SELECT b, a FROM key_edges',
  );
  // Round 1: a linked key's label is the smallest of itself and its neighbours.
  await engine.db.run(
    `CREATE OR REPLACE TEMP TABLE key_labels AS
       SELECT a AS key, least(a, min(b)) AS label, min(b) <> max(b) AS branches FROM key_links GROUP BY a`,
  );
  // A key whose only neighbour gave it its label has nothing to offer (most keys: a payment and its settlement).
  await engine.db.run(
    'CREATE OR REPLACE TEMP TABLE keys_moved AS SELECT key FROM key_labels WHERE label < key AND branches',
  );
  let rounds = 1;
  // Later rounds only revisit the neighbours of keys whose label moved: no other key's smallest label can change.
  while (await tableHasRows(engine, 'keys_moved')) {
    if (rounds >= MAX_COMPONENT_ROUNDS) throw new ComponentsDidNotSettleError(rounds);
    rounds += 1;
    await engine.db.run(
      `CREATE OR REPLACE TEMP TABLE keys_next AS
       WITH offered AS (
         SELECT l.a AS key, min(kl.label) AS label
         FROM keys_moved m JOIN key_links l ON l.b = m.key JOIN key_labels kl ON kl.key = m.key GROUP BY l.a)
       SELECT o.key, o.label FROM offered o JOIN key_labels kl USING (key) WHERE o.label < kl.label`,
    );
    await engine.db.run(
      'UPDATE key_labels SET label = n.label FROM keys_next n WHERE key_labels.key = n.key',
    );
    await engine.db.run('DROP TABLE keys_moved');
    await engine.db.run('ALTER TABLE keys_next RENAME TO keys_moved');
  }
  await engine.db.run('DROP TABLE keys_moved');
  await engine.db.run('DROP VIEW key_links');
  await engine.db.run('DROP TABLE key_edges');
  // In row order, so the scatter's per-file range reads only the blocks of that file's rows.
  await engine.db.run(
    `CREATE OR REPLACE TABLE match_unit AS
       SELECT r.row, ${unitOfRowSql('coalesce(kl.label, r.key)', unitCount)} AS unit
       FROM row_first r LEFT JOIN key_labels kl USING (key) ORDER BY r.row`,
  );
  await engine.db.run('DROP TABLE key_labels');
  await engine.db.run('DROP TABLE row_first');
  return { rounds };
}

/** The unit of a component labelled `label` (a key, or the id of a row without a key: its own component). */
export const unitOfRowSql = (label: string, unitCount: number): string =>
  `(hash(${label}) % ${unitCount})::INTEGER`;

async function tableHasRows(engine: SetEngine, table: string): Promise<boolean> {
  const found = await engine.db.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM ${table})`);
  return found.getRows()[0]?.[0] === true;
}

/**
 * Add a side's matched rows from `relation` (rows as `columnsSql` reads them, with their `row` id) to the tables
 * `assignMatchUnits` reads: `window_rows (row)`, every row; `row_first (row, key)`, a row's smallest key; and
 * `key_edges (a, b)`, each other key of the row to that one. A key is the 64-bit hash of `(pass, value)`, one per
 * pass that can use the row, the same on both sides of a pass (a collision can only merge two components, never
 * split one, so the cut stays sound); empty and missing values join nothing (as in `pass-sql.ts`), so they are left
 * out. The tables are created on first use.
 */
export async function addRowKeys(
  engine: SetEngine,
  rules: Pick<MatchingRules, 'passes'>,
  side: 'tx' | 'st',
  relation: string,
): Promise<void> {
  const keys = rules.passes.map((pass, passNo) => {
    const field = sqlName(side === 'tx' ? pass.transactionField : pass.settlementField);
    return `CASE WHEN ${field} <> '' THEN hash(${passNo}, ${field}) END`;
  });
  await engine.db.run('CREATE TABLE IF NOT EXISTS window_rows (row BIGINT)');
  await engine.db.run('CREATE TABLE IF NOT EXISTS row_first (row BIGINT, key UBIGINT)');
  await engine.db.run('CREATE TABLE IF NOT EXISTS key_edges (a UBIGINT, b UBIGINT)');
  await engine.db.run(
    `CREATE OR REPLACE TEMP TABLE row_keys AS
       SELECT row, keys, list_min(keys) AS first FROM (
         SELECT row, list_filter([${keys.join(', ')}], key -> key IS NOT NULL) AS keys FROM ${relation})`,
  );
  await engine.db.run('INSERT INTO window_rows SELECT row FROM row_keys');
  await engine.db.run('INSERT INTO row_first SELECT row, first FROM row_keys WHERE len(keys) > 0');
  await engine.db.run(
    `INSERT INTO key_edges SELECT key, first FROM (SELECT unnest(keys) AS key, first FROM row_keys WHERE len(keys) > 1)
     WHERE key <> first`,
  );
  await engine.db.run('DROP TABLE row_keys');
}

/**
 * Load one unit's rows (the scatter's files, staged locally) in a session of its own and number them canonically as
 * `tx` and `st`, ready for `matchLoadedRows`: a unit's canonical order is the window's restricted to its rows.
 * @example await loadUnitRows(engine, { tx: ['/tmp/…/tx-unit-00003-batch-00000-part-00000.parquet'], st: [ … ] })
 */
export async function loadUnitRows(
  engine: SetEngine,
  paths: { readonly tx: readonly string[]; readonly st: readonly string[] },
): Promise<void> {
  await createRowTables(engine);
  for (const side of ['tx', 'st'] as const)
    if (paths[side].length > 0)
      await engine.db.run(
        `INSERT INTO ${side}_rows BY NAME SELECT * FROM read_parquet(${sqlPaths(paths[side])})`,
      );
  await numberCanonically(engine);
}
