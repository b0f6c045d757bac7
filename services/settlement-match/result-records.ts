import type {
  GroupShape,
  GroupTotals,
  MatchResult,
  OpenItemAge,
  OrphanReason,
  UnmatchedReason,
} from './match-result.ts';
import type { MatchableSettlement, MatchableTransaction } from './rows.ts';

/** A row as the result files reference it: identity, money (minor units as strings) and lineage. */
export interface RowRef {
  readonly id: string;
  readonly currency: string;
  readonly amountMinor: string;
  readonly businessDate: string;
  readonly fileId: string;
  readonly rowNumber: string;
  readonly runId: string;
}

export type SettlementRef = RowRef & { readonly feeMinor: string };

/** One line of the match result files; `outcome` names the file it belongs in. */
export type ResultRecord = Readonly<Record<string, unknown>> & {
  readonly outcome: 'matched' | 'partially-settled' | 'unmatched' | 'orphan' | 'mismatch';
};

type Lineage = 'business_date' | '_file_id' | '_row_number' | '_run_id';

/** What a record shows of a transaction: a `MatchableTransaction` or a row streamed from the SQL match. */
export type ShownTransaction = Pick<
  MatchableTransaction,
  'transaction_id' | 'currency' | 'amount_minor' | Lineage
>;

/** What a record shows of a settlement. */
export type ShownSettlement = Pick<
  MatchableSettlement,
  'settlement_id' | 'currency' | 'amount_minor' | 'fee_minor' | Lineage
>;

/** A group as a record shows it (a `MatchGroup` is one). */
export interface ShownGroup {
  readonly rule: string;
  readonly key: string;
  readonly shape: GroupShape;
  readonly transactions: readonly ShownTransaction[];
  readonly settlements: readonly ShownSettlement[];
}

/** A mismatch as a record shows it (an `AmountMismatch` is one). */
export type ShownMismatch =
  | ({ readonly group: ShownGroup; readonly cause: 'AMOUNT' | 'FEE' } & GroupTotals)
  | {
      readonly group: ShownGroup;
      readonly cause: 'CURRENCY';
      readonly transactionCurrencies: readonly string[];
      readonly settlementCurrencies: readonly string[];
    };

// Refs are written out key by key (no spread of a lineage object): a window's results build millions of them.
function transactionRef(row: ShownTransaction): RowRef {
  return {
    id: row.transaction_id,
    currency: row.currency,
    amountMinor: String(row.amount_minor),
    businessDate: row.business_date,
    fileId: row._file_id,
    rowNumber: String(row._row_number),
    runId: row._run_id,
  };
}

function settlementRef(row: ShownSettlement): SettlementRef {
  return {
    id: row.settlement_id,
    currency: row.currency,
    amountMinor: String(row.amount_minor),
    feeMinor: String(row.fee_minor),
    businessDate: row.business_date,
    fileId: row._file_id,
    rowNumber: String(row._row_number),
    runId: row._run_id,
  };
}

function groupFields(group: ShownGroup) {
  return {
    rule: group.rule,
    key: group.key,
    shape: group.shape,
    transactions: group.transactions.map(transactionRef),
    settlements: group.settlements.map(settlementRef),
  };
}

function totalsFields(totals: GroupTotals) {
  return {
    currency: totals.currency,
    expectedMinor: String(totals.expectedMinor),
    settledMinor: String(totals.settledMinor),
    feeMinor: String(totals.feeMinor),
    differenceMinor: String(totals.differenceMinor),
  };
}

/**
 * The record of a matched group.
 * @example matchedRecord(result.matched[0]) // { outcome: 'matched', rule, key, shape, transactions, settlements, currency, … }
 */
export function matchedRecord(group: ShownGroup & GroupTotals): ResultRecord {
  return {
    outcome: 'matched',
    rule: group.rule,
    key: group.key,
    shape: group.shape,
    transactions: group.transactions.map(transactionRef),
    settlements: group.settlements.map(settlementRef),
    currency: group.currency,
    expectedMinor: String(group.expectedMinor),
    settledMinor: String(group.settledMinor),
    feeMinor: String(group.feeMinor),
    differenceMinor: String(group.differenceMinor),
  };
}

/**
 * The record of a partially settled group (open, with what is outstanding and its age).
 * @example partialRecord(result.partiallySettled[0]) // { outcome: 'partially-settled', …, outstandingMinor: '250', ageDays: 1, … }
 */
export function partialRecord(
  group: ShownGroup & GroupTotals & OpenItemAge & { readonly outstandingMinor: bigint },
): ResultRecord {
  return {
    outcome: 'partially-settled',
    ...groupFields(group),
    ...totalsFields(group),
    outstandingMinor: String(group.outstandingMinor),
    ageDays: group.ageDays,
    aged: group.aged,
    leavesWindow: group.leavesWindow,
  };
}

/**
 * The record of a transaction left open.
 * @example unmatchedRecord({ transaction, reason: 'NO_SETTLEMENT', ageDays: 3, aged: true, leavesWindow: false })
 */
export function unmatchedRecord(
  item: OpenItemAge & { readonly transaction: ShownTransaction; readonly reason: UnmatchedReason },
): ResultRecord {
  return {
    outcome: 'unmatched',
    reason: item.reason,
    ageDays: item.ageDays,
    aged: item.aged,
    leavesWindow: item.leavesWindow,
    transaction: transactionRef(item.transaction),
  };
}

/**
 * The record of a settlement that pays nothing known.
 * @example orphanRecord({ settlement, ageDays: 0, reason: 'NO_TRANSACTION' })
 */
export function orphanRecord(item: {
  readonly settlement: ShownSettlement;
  readonly ageDays: number;
  readonly reason: OrphanReason;
}): ResultRecord {
  return {
    outcome: 'orphan',
    reason: item.reason,
    ageDays: item.ageDays,
    settlement: settlementRef(item.settlement),
  };
}

/**
 * The record of a group whose money (or currency) does not agree.
 * @example mismatchRecord(result.amountMismatches[0]) // { outcome: 'mismatch', cause: 'FEE', …, differenceMinor: '10' }
 */
export function mismatchRecord(mismatch: ShownMismatch): ResultRecord {
  return mismatch.cause === 'CURRENCY'
    ? {
        outcome: 'mismatch',
        cause: mismatch.cause,
        ...groupFields(mismatch.group),
        transactionCurrencies: mismatch.transactionCurrencies,
        settlementCurrencies: mismatch.settlementCurrencies,
      }
    : {
        outcome: 'mismatch',
        cause: mismatch.cause,
        ...groupFields(mismatch.group),
        ...totalsFields(mismatch),
      };
}

/**
 * The result as plain JSON records (no bigint), in the result's canonical order with a fixed key order,
 * so the same rows always serialize to the same bytes. The SQL match streams the same records, built by the
 * same functions, in the same order.
 * @example for (const record of resultRecords(result)) lines.push(JSON.stringify(record))
 */
export function* resultRecords(result: MatchResult): Generator<ResultRecord> {
  for (const group of result.matched) yield matchedRecord(group);
  for (const group of result.partiallySettled) yield partialRecord(group);
  for (const item of result.unmatchedTransactions) yield unmatchedRecord(item);
  for (const item of result.orphanSettlements) yield orphanRecord(item);
  for (const mismatch of result.amountMismatches) yield mismatchRecord(mismatch);
}
