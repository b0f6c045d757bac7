import type { GroupTotals, MatchGroup, MatchResult } from './match-result.ts';
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

function lineage(row: MatchableTransaction | MatchableSettlement) {
  return {
    businessDate: row.business_date,
    fileId: row._file_id,
    rowNumber: String(row._row_number),
    runId: row._run_id,
  };
}

function transactionRef(row: MatchableTransaction): RowRef {
  return {
    id: row.transaction_id,
    currency: row.currency,
    amountMinor: String(row.amount_minor),
    ...lineage(row),
  };
}

function settlementRef(row: MatchableSettlement): SettlementRef {
  return {
    id: row.settlement_id,
    currency: row.currency,
    amountMinor: String(row.amount_minor),
    feeMinor: String(row.fee_minor),
    ...lineage(row),
  };
}

function groupFields(group: MatchGroup) {
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
 * The result as plain JSON records (no bigint), in the result's canonical order with a fixed key order,
 * so the same rows always serialize to the same bytes.
 * @example for (const record of resultRecords(result)) lines.push(JSON.stringify(record))
 */
export function* resultRecords(result: MatchResult): Generator<ResultRecord> {
  for (const group of result.matched)
    yield { outcome: 'matched', ...groupFields(group), ...totalsFields(group) };
  for (const group of result.partiallySettled) {
    yield {
      outcome: 'partially-settled',
      ...groupFields(group),
      ...totalsFields(group),
      outstandingMinor: String(group.outstandingMinor),
      ageDays: group.ageDays,
      aged: group.aged,
      leavesWindow: group.leavesWindow,
    };
  }
  for (const item of result.unmatchedTransactions) {
    yield {
      outcome: 'unmatched',
      reason: item.reason,
      ageDays: item.ageDays,
      aged: item.aged,
      leavesWindow: item.leavesWindow,
      transaction: transactionRef(item.transaction),
    };
  }
  for (const item of result.orphanSettlements) {
    yield {
      outcome: 'orphan',
      reason: item.reason,
      ageDays: item.ageDays,
      settlement: settlementRef(item.settlement),
    };
  }
  for (const mismatch of result.amountMismatches) {
    yield mismatch.cause === 'CURRENCY'
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
}
