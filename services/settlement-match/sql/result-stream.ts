import type { DuckDBValue } from '@duckdb/node-api';
import type { MatchingRules } from '../../../config/matching-rules.ts';
import type { SetEngine } from '../../../lib/duckdb/set-engine.ts';
import { daysBetween, openItemAge } from '../business-dates.ts';
import type { GroupShape, GroupTotals } from '../match-result.ts';
import {
  matchedRecord,
  mismatchRecord,
  orphanRecord,
  partialRecord,
  type ResultRecord,
  type ShownGroup,
  type ShownSettlement,
  type ShownTransaction,
  unmatchedRecord,
} from '../result-records.ts';
import { PART } from './match-totals.ts';
import type { WindowFile } from './window-tables.ts';

/**
 * Every row in result order: by part (matched, partially settled, unmatched, orphan, mismatched), then item (a
 * group's first transaction, or the open row), transactions before settlements, each in canonical order. Group
 * columns repeat on each member row; only a group's first row is read for them.
 */
const RESULT_ROWS_SQL = `
  WITH result_rows AS (
    SELECT o.part, o.item, 0 AS side, x.seq, x.file_no, x.row_number, x.transaction_id AS id, x.amount,
      NULL::BIGINT AS fee, x.currency, a.seq IS NOT NULL AS ambiguous
    FROM tx_out o JOIN tx x USING (seq) LEFT JOIN (SELECT DISTINCT seq FROM tx_ambiguous) a ON a.seq = x.seq
    UNION ALL
    SELECT o.part, o.item, 1, x.seq, x.file_no, x.row_number, x.settlement_id, x.amount, x.fee, x.currency,
      a.seq IS NOT NULL
    FROM st_out o JOIN st x USING (seq) LEFT JOIN (SELECT DISTINCT seq FROM st_ambiguous) a ON a.seq = x.seq)
  SELECT r.part, r.item, r.side, r.file_no, r.row_number, r.id, r.amount, r.fee, r.currency, r.ambiguous,
    g.pass, g.key, g.shape, g.cause, g.currency, g.expected, g.settled, g.fee, g.difference, g.outstanding
  FROM result_rows r LEFT JOIN groups g
    ON g.grp = CASE WHEN r.part IN (${PART.matched}, ${PART.partial}, ${PART.mismatch}) THEN r.item END
  ORDER BY r.part, r.item, r.side, r.seq`;

/** The rows of one record, as they stream in. */
interface Item {
  readonly part: number;
  readonly item: bigint;
  /** The group's columns (from `GROUP_COLUMNS` on), read from its first row only. */
  readonly group: readonly DuckDBValue[];
  readonly transactions: ShownTransaction[];
  readonly settlements: ShownSettlement[];
  ambiguous: boolean;
}

/** What a record needs besides its rows. */
export interface RecordContext {
  readonly asOf: string;
  readonly rules: Pick<MatchingRules, 'passes' | 'settlementWaitDays' | 'windowDays'>;
  readonly files: readonly WindowFile[];
}

const distinctSorted = (values: readonly string[]): string[] => [...new Set(values)].sort();

/** Build one record from its rows with the same builders (and so the same JSON) as `resultRecords`. */
function recordOf(item: Item, context: RecordContext): ResultRecord {
  const [transaction] = item.transactions;
  const [settlement] = item.settlements;
  if (item.part === PART.unmatched && transaction)
    return unmatchedRecord({
      transaction,
      reason: item.ambiguous ? 'AMBIGUOUS_REFERENCE' : 'NO_SETTLEMENT',
      ...openItemAge(transaction.business_date, context.asOf, context.rules),
    });
  if (item.part === PART.orphan && settlement)
    return orphanRecord({
      settlement,
      ageDays: daysBetween(settlement.business_date, context.asOf),
      reason: item.ambiguous ? 'AMBIGUOUS_REFERENCE' : 'NO_TRANSACTION',
    });
  const [pass, key, shape, cause, currency, expected, settled, fee, difference, outstanding] = item.group;
  const group: ShownGroup & GroupTotals = {
    rule: context.rules.passes[Number(pass)]?.name ?? String(pass),
    key: String(key),
    shape: shape as GroupShape,
    transactions: item.transactions,
    settlements: item.settlements,
    currency: String(currency),
    expectedMinor: expected as bigint,
    settledMinor: settled as bigint,
    feeMinor: fee as bigint,
    differenceMinor: difference as bigint,
  };
  if (item.part === PART.matched) return matchedRecord(group);
  if (cause === 'CURRENCY')
    return mismatchRecord({
      group,
      cause,
      transactionCurrencies: distinctSorted(item.transactions.map((row) => row.currency)),
      settlementCurrencies: distinctSorted(item.settlements.map((row) => row.currency)),
    });
  if (item.part === PART.partial && transaction)
    return partialRecord({
      ...group,
      outstandingMinor: outstanding as bigint,
      ...openItemAge(transaction.business_date, context.asOf, context.rules),
    });
  if (item.part === PART.mismatch && (cause === 'FEE' || cause === 'AMOUNT'))
    return mismatchRecord({ group, cause, ...group });
  throw new Error(
    `Result item ${item.item} of part ${item.part} has no record shape; this is a bug in settlement-match.`,
  );
}

/** Column of the first group column in `RESULT_ROWS_SQL`; the ten group columns follow it. */
const GROUP_COLUMNS = 10;

/** A chunk's values by column and row, converted only when read (a row's group columns are mostly skipped). */
type ChunkValue = (column: number, row: number) => DuckDBValue;

/** Add one streamed row to its item (lineage from the window's files). */
function addRow(item: Item, value: ChunkValue, row: number, files: readonly WindowFile[]): void {
  const file = files[Number(value(3, row))] as WindowFile;
  if (value(2, row) === 0)
    item.transactions.push({
      transaction_id: String(value(5, row)),
      currency: String(value(8, row)),
      amount_minor: value(6, row) as bigint,
      business_date: file.businessDate,
      _file_id: file.fileId,
      _row_number: value(4, row) as bigint,
      _run_id: file.runId,
    });
  else
    item.settlements.push({
      settlement_id: String(value(5, row)),
      currency: String(value(8, row)),
      amount_minor: value(6, row) as bigint,
      fee_minor: value(7, row) as bigint,
      business_date: file.businessDate,
      _file_id: file.fileId,
      _row_number: value(4, row) as bigint,
      _run_id: file.runId,
    });
  item.ambiguous ||= value(9, row) === true;
}

/**
 * Stream the result records out of DuckDB a chunk at a time, in `resultRecords` order: only the record being
 * assembled and one chunk are held, never the window's results.
 * @example for await (const record of streamResultRecords(engine, { asOf, rules, files })) part.add(record)
 */
export async function* streamResultRecords(
  engine: SetEngine,
  context: RecordContext,
): AsyncGenerator<ResultRecord> {
  const result = await engine.db.stream(RESULT_ROWS_SQL);
  let current: Item | undefined;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const vectors = Array.from({ length: chunk.columnCount }, (_, column) => chunk.getColumnVector(column));
    const value: ChunkValue = (column, row) => vectors[column]?.getItem(row) ?? null;
    for (let row = 0; row < chunk.rowCount; row += 1) {
      const part = Number(value(0, row));
      const item = value(1, row) as bigint;
      if (current?.part !== part || current.item !== item) {
        if (current) yield recordOf(current, context);
        const group =
          part === PART.unmatched || part === PART.orphan
            ? []
            : vectors.slice(GROUP_COLUMNS).map((vector) => vector.getItem(row));
        current = { part, item, group, transactions: [], settlements: [], ambiguous: false };
      }
      addRow(current, value, row, context.files);
    }
  }
  if (current) yield recordOf(current, context);
}
