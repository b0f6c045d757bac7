import type { MatchingRules, MatchPass } from '../../../config/matching-rules.ts';
import { type SetEngine, sqlName, sqlText } from '../../../lib/duckdb/set-engine.ts';
import { resolveAmbiguousKeys } from './ambiguous-keys.ts';
import { groupOutcomeSql } from './group-outcome-sql.ts';

type MoneyRules = Pick<MatchingRules, 'toleranceMinor' | 'feeTreatment'>;

/**
 * What every pass appends to: the groups it decided (`grp` is the group's first transaction's `seq`, unique since a
 * transaction joins one group at most, and the order results are written in), the rows each group closed, and the
 * rows left open because several rows claimed one key (reported AMBIGUOUS_REFERENCE if they stay open).
 */
export async function createOutcomeTables(engine: SetEngine): Promise<void> {
  await engine.db.run(`CREATE TABLE groups (grp BIGINT, pass INTEGER, key VARCHAR, shape VARCHAR, kind VARCHAR,
    cause VARCHAR, currency VARCHAR, expected HUGEINT, settled HUGEINT, fee HUGEINT, difference HUGEINT,
    outstanding HUGEINT)`);
  for (const table of ['tx_closed', 'st_closed'])
    await engine.db.run(`CREATE TABLE ${table} (seq BIGINT, grp BIGINT)`);
  for (const table of ['tx_ambiguous', 'st_ambiguous'])
    await engine.db.run(`CREATE TABLE ${table} (seq BIGINT)`);
}

/** Shapes the pass takes as one group; any other is resolved one to one (`resolveAmbiguousKeys`). */
export function allowedShapesSql(pass: MatchPass): string {
  const shapes = ['1:1', ...(pass.partialSettlements ? ['1:N'] : []), ...(pass.payoutBatches ? ['N:1'] : [])];
  return `(${shapes.map(sqlText).join(', ')})`;
}

/**
 * One pass (`runPass`) as set work over the rows earlier passes left open:
 * 1. Key the open rows by the pass's fields (with the money the groups sum); an empty or missing key sits out.
 * 2. Size each key present on both sides: a shape the pass allows is one group of all its rows.
 * 3. Any other shape is resolved one to one in canonical order (`resolveAmbiguousKeys`): its pairs join the pass
 *    as 1:1 groups.
 * 4. Decide every group (`groupOutcomeSql`), record it and close its rows.
 */
export async function runPassInSql(
  engine: SetEngine,
  pass: MatchPass,
  passNo: number,
  rules: MoneyRules,
): Promise<void> {
  const { db } = engine;
  const allowed = allowedShapesSql(pass);
  const [txKey, stKey] = [sqlName(pass.transactionField), sqlName(pass.settlementField)];
  await db.run(`CREATE OR REPLACE TABLE pass_tx AS SELECT seq, ${txKey} AS key, amount, currency
    FROM tx ANTI JOIN tx_closed USING (seq) WHERE ${txKey} <> ''`);
  await db.run(`CREATE OR REPLACE TABLE pass_st AS SELECT seq, ${stKey} AS key, amount, fee, currency
    FROM st ANTI JOIN st_closed USING (seq) WHERE ${stKey} <> ''`);
  await db.run(`CREATE OR REPLACE TABLE pass_keys AS
    SELECT key, nt, ns, first_seq AS grp,
      CASE WHEN nt = 1 AND ns = 1 THEN '1:1' WHEN nt = 1 THEN '1:N' WHEN ns = 1 THEN 'N:1' ELSE 'N:M' END AS shape
    FROM (SELECT key, count(*) AS nt, min(seq) AS first_seq FROM pass_tx GROUP BY key)
    JOIN (SELECT key, count(*) AS ns FROM pass_st GROUP BY key) USING (key)`);
  await db.run(`CREATE OR REPLACE TABLE pass_groups AS
    SELECT grp, key, shape, ${pass.partialSettlements} AS instalments FROM pass_keys WHERE shape IN ${allowed}`);
  await db.run(`CREATE OR REPLACE TABLE pass_tx_members AS SELECT k.grp, p.seq, p.amount, p.currency
    FROM pass_tx p JOIN pass_keys k USING (key) WHERE k.shape IN ${allowed}`);
  await db.run(`CREATE OR REPLACE TABLE pass_st_members AS SELECT k.grp, p.seq, p.amount, p.fee, p.currency
    FROM pass_st p JOIN pass_keys k USING (key) WHERE k.shape IN ${allowed}`);
  if (await resolveAmbiguousKeys(engine, allowed, rules)) {
    await db.run(`INSERT INTO pass_groups SELECT g.tx_seq, p.key, '1:1', false
      FROM pass_pairs g JOIN pass_tx p ON p.seq = g.tx_seq`);
    await db.run(`INSERT INTO pass_tx_members SELECT g.tx_seq, p.seq, p.amount, p.currency
      FROM pass_pairs g JOIN pass_tx p ON p.seq = g.tx_seq`);
    await db.run(`INSERT INTO pass_st_members SELECT g.tx_seq, p.seq, p.amount, p.fee, p.currency
      FROM pass_pairs g JOIN pass_st p ON p.seq = g.st_seq`);
  }
  await db.run(`INSERT INTO groups
    WITH t AS (
      SELECT grp, count(*) AS nt, sum(amount)::HUGEINT AS expected, min(currency) AS low, max(currency) AS high
      FROM pass_tx_members GROUP BY grp),
    s AS (
      SELECT grp, sum(amount)::HUGEINT AS amount, sum(fee)::HUGEINT AS fee, min(currency) AS low,
        max(currency) AS high
      FROM pass_st_members GROUP BY grp),
    candidates AS (
      SELECT g.grp, g.key, g.shape, g.instalments, t.nt, t.expected, s.amount, s.fee, t.low AS currency,
        t.low = t.high AND s.low = s.high AND t.low = s.low AS one_currency
      FROM pass_groups g JOIN t USING (grp) JOIN s USING (grp))
    SELECT grp, ${passNo}, key, shape, kind, cause, currency, expected, settled, fee, difference, outstanding
    FROM (${groupOutcomeSql(rules)})`);
  await db.run('INSERT INTO tx_closed SELECT seq, grp FROM pass_tx_members');
  await db.run('INSERT INTO st_closed SELECT seq, grp FROM pass_st_members');
}
