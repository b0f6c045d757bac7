import type { DuckDBAppender, DuckDBValue } from '@duckdb/node-api';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import type { SetEngine } from '../../../lib/duckdb/set-engine.ts';
import { toleranceFor } from '../group-evaluation.ts';
import { type ClaimRow, resolveOneToOne } from './one-to-one.ts';

type MoneyRules = Pick<MatchingRules, 'toleranceMinor' | 'feeTreatment'>;

/**
 * Rows of ambiguous keys read into JS per page: whole keys, about this many rows a page (a single key larger than
 * that is a page of its own). Bounds memory by the page, not by the window.
 */
const PAGE_ROWS = 50_000;

/** One key's rows, both sides in canonical order. */
interface KeyRows {
  readonly key: string;
  readonly transactions: ClaimRow[];
  readonly settlements: ClaimRow[];
}

/** Group a page's rows (ordered by key, side, seq) into keys. */
function* keysOf(rows: readonly DuckDBValue[][]): Generator<KeyRows> {
  let current: KeyRows | undefined;
  for (const [key, side, seq, currency, value] of rows) {
    if (current !== undefined && current.key !== key) {
      yield current;
      current = undefined;
    }
    current ??= { key: String(key), transactions: [], settlements: [] };
    const row = { seq: seq as bigint, currency: String(currency), value: value as bigint };
    (side === 0 ? current.transactions : current.settlements).push(row);
  }
  if (current) yield current;
}

/** Append rows to a table, one appender for the batch; none when there is nothing to append. */
async function appendRows(
  engine: SetEngine,
  table: string,
  rows: number,
  fill: (appender: DuckDBAppender) => void,
) {
  if (rows === 0) return;
  const appender = await engine.db.createAppender(table);
  try {
    fill(appender);
  } finally {
    appender.closeSync();
  }
}

/**
 * Resolve the keys whose shape the pass does not allow (`resolveKeyGroup`): read their rows a page of whole keys
 * at a time, pair them one to one in canonical order (`resolveOneToOne`), and append the pairs to `pass_pairs`
 * (transaction seq, settlement seq) and the rows left over to the ambiguous tables. Reading is finished before
 * appending: an appender's flush would end a result still being read on the same connection. Returns whether any
 * key was ambiguous.
 */
export async function resolveAmbiguousKeys(
  engine: SetEngine,
  allowed: string,
  rules: MoneyRules,
): Promise<boolean> {
  const settled = rules.feeTreatment === 'net' ? 'amount::HUGEINT + fee' : 'amount::HUGEINT';
  await engine.db.run(`CREATE OR REPLACE TABLE ambiguous_rows AS
    WITH keys AS (
      SELECT key, (sum(nt + ns) OVER (ORDER BY key) - (nt + ns)) // ${PAGE_ROWS} AS page
      FROM pass_keys WHERE shape NOT IN ${allowed})
    SELECT k.page, k.key, 0 AS side, p.seq, p.currency, p.amount::HUGEINT AS value
    FROM pass_tx p JOIN keys k USING (key)
    UNION ALL
    SELECT k.page, k.key, 1, p.seq, p.currency, ${settled} FROM pass_st p JOIN keys k USING (key)`);
  await engine.db.run('CREATE OR REPLACE TABLE pass_pairs (tx_seq BIGINT, st_seq BIGINT)');
  const pages = await engine.db.runAndReadAll('SELECT DISTINCT page FROM ambiguous_rows ORDER BY page');
  for (const [page] of pages.getRows()) {
    const read = await engine.db.runAndReadAll(
      `SELECT key, side, seq, currency, value FROM ambiguous_rows WHERE page = ${String(page)} ORDER BY key, side, seq`,
    );
    const resolved = [...keysOf(read.getRows())].map((rows) =>
      resolveOneToOne(rows.transactions, rows.settlements, (currency) => toleranceFor(rules, currency)),
    );
    const pairs = resolved.flatMap((keyRows) => keyRows.pairs);
    await appendRows(engine, 'pass_pairs', pairs.length, (appender) => {
      for (const [transaction, settlement] of pairs) {
        appender.appendBigInt(transaction);
        appender.appendBigInt(settlement);
        appender.endRow();
      }
    });
    for (const [table, open] of [
      ['tx_ambiguous', resolved.flatMap((keyRows) => keyRows.openTransactions)],
      ['st_ambiguous', resolved.flatMap((keyRows) => keyRows.openSettlements)],
    ] as const)
      await appendRows(engine, table, open.length, (appender) => {
        for (const seq of open) {
          appender.appendBigInt(seq);
          appender.endRow();
        }
      });
  }
  return pages.getRows().length > 0;
}
