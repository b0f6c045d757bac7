import type { DuckDBValue } from '@duckdb/node-api';
import type { SetEngine } from '../../../lib/duckdb/set-engine.ts';
import type { MatchCounts } from '../match-result.ts';
import { type CurrencySums, type MatchSums, sumByCurrency } from '../match-summary.ts';

/** Where a row ended, as `part` of `tx_out` / `st_out`: also the order result records are written in. */
export const PART = { matched: 0, partial: 1, unmatched: 2, orphan: 3, mismatch: 4 } as const;

/**
 * Every row with the group that closed it (`item`, the row's own `seq` when open) and where it ended (`part`). A
 * row closed by a group that was never recorded gets part 9, which no count includes: conservation then fails.
 */
export async function createRowOutcomes(engine: SetEngine): Promise<void> {
  const partOf = (
    open: number,
  ) => `CASE WHEN c.grp IS NULL THEN ${open} WHEN g.kind = 'matched' THEN ${PART.matched}
    WHEN g.kind = 'partial' THEN ${PART.partial} WHEN g.kind = 'mismatch' THEN ${PART.mismatch} ELSE 9 END`;
  await engine.db.run(`CREATE TABLE tx_out AS
    SELECT x.seq, x.file_no, x.currency, x.amount, coalesce(c.grp, x.seq) AS item, ${partOf(PART.unmatched)} AS part
    FROM tx x LEFT JOIN tx_closed c USING (seq) LEFT JOIN groups g ON g.grp = c.grp`);
  await engine.db.run(`CREATE TABLE st_out AS
    SELECT x.seq, x.file_no, x.currency, x.amount, x.fee, coalesce(c.grp, x.seq) AS item, ${partOf(PART.orphan)} AS part
    FROM st x LEFT JOIN st_closed c USING (seq) LEFT JOIN groups g ON g.grp = c.grp`);
}

/**
 * The run's counts (`countOutcomes`' shape and key order), from the rows' outcomes and the groups.
 * @example await countRowOutcomes(engine, [0, 1]) // { transactions: 581, settlements: 576, matchedGroups: 570, … }
 */
export async function countRowOutcomes(
  engine: SetEngine,
  agedFileNos: readonly number[],
): Promise<MatchCounts> {
  const aged = agedFileNos.length === 0 ? 'false' : `file_no IN (${agedFileNos.join(', ')})`;
  const counted = await engine.db.runAndReadAll(`SELECT
    (SELECT count(*) FROM tx), (SELECT count(*) FROM st),
    (SELECT count(*) FROM groups WHERE kind = 'matched'),
    (SELECT count(*) FROM tx_out WHERE part = ${PART.matched}), (SELECT count(*) FROM st_out WHERE part = ${PART.matched}),
    (SELECT count(*) FROM groups WHERE kind = 'partial'), (SELECT count(*) FROM st_out WHERE part = ${PART.partial}),
    (SELECT count(*) FROM tx_out WHERE part = ${PART.unmatched}),
    (SELECT count(*) FROM tx_out WHERE part IN (${PART.partial}, ${PART.unmatched}) AND ${aged}),
    (SELECT count(*) FROM st_out WHERE part = ${PART.orphan}),
    (SELECT count(*) FROM groups WHERE kind = 'mismatch'),
    (SELECT count(*) FROM tx_out WHERE part = ${PART.mismatch}), (SELECT count(*) FROM st_out WHERE part = ${PART.mismatch})`);
  const values = (counted.getRows()[0] ?? []).map(Number);
  const at = (index: number): number => values[index] ?? 0;
  return {
    transactions: at(0),
    settlements: at(1),
    matchedGroups: at(2),
    matchedTransactions: at(3),
    matchedSettlements: at(4),
    partiallySettled: at(5),
    partiallySettledSettlements: at(6),
    unmatchedTransactions: at(7),
    agedTransactions: at(8),
    orphanSettlements: at(9),
    amountMismatches: at(10),
    mismatchedTransactions: at(11),
    mismatchedSettlements: at(12),
  };
}

/** Part number of a total (every row read) in the sums query. */
const TOTAL = -1;

/**
 * The run's per-currency sums (`summarizeMatch`' shape and key order): totals over every row read, buckets over the
 * rows' outcomes, so the event contract's conservation refinements still check the matching.
 */
export async function sumRowOutcomes(engine: SetEngine): Promise<MatchSums> {
  const summed = await engine.db.runAndReadAll(`
    SELECT 'transactions', ${TOTAL}, currency, sum(amount)::HUGEINT FROM tx GROUP BY ALL
    UNION ALL SELECT 'transactions', part, currency, sum(amount)::HUGEINT FROM tx_out GROUP BY ALL
    UNION ALL SELECT 'amounts', ${TOTAL}, currency, sum(amount)::HUGEINT FROM st GROUP BY ALL
    UNION ALL SELECT 'amounts', part, currency, sum(amount)::HUGEINT FROM st_out GROUP BY ALL
    UNION ALL SELECT 'fees', ${TOTAL}, currency, sum(fee)::HUGEINT FROM st GROUP BY ALL
    UNION ALL SELECT 'fees', part, currency, sum(fee)::HUGEINT FROM st_out GROUP BY ALL
    UNION ALL SELECT 'outstanding', ${PART.partial}, currency, sum(outstanding)::HUGEINT FROM groups
      WHERE kind = 'partial' GROUP BY ALL`);
  const rows: readonly DuckDBValue[][] = summed.getRows();
  const sums = (measure: string, part: number): CurrencySums =>
    sumByCurrency(
      rows
        .filter((row) => row[0] === measure && Number(row[1]) === part)
        .map((row) => [String(row[2]), row[3] as bigint] as const),
    );
  const settlementBuckets = (measure: string) => ({
    total: sums(measure, TOTAL),
    matched: sums(measure, PART.matched),
    partiallySettled: sums(measure, PART.partial),
    orphan: sums(measure, PART.orphan),
    mismatched: sums(measure, PART.mismatch),
  });
  return {
    transactions: {
      total: sums('transactions', TOTAL),
      matched: sums('transactions', PART.matched),
      partiallySettled: sums('transactions', PART.partial),
      unmatched: sums('transactions', PART.unmatched),
      mismatched: sums('transactions', PART.mismatch),
    },
    settlementAmounts: settlementBuckets('amounts'),
    settlementFees: settlementBuckets('fees'),
    outstanding: sums('outstanding', PART.partial),
  };
}
