import type { SettlementKeyField, TransactionKeyField } from '../../config/matching-rules.ts';
import type { TransactionType } from '../../contracts/datasets/transactions.ts';

/** Lineage every matchable row carries (silver lineage columns; `business_date` as YYYY-MM-DD). */
export interface RowLineage {
  readonly partner: string;
  readonly business_date: string;
  readonly _file_id: string;
  /** Physical line in the partner's file (INT64 in silver). */
  readonly _row_number: bigint;
  /** Run that validated the file (schema-validate's run id). */
  readonly _run_id: string;
}

/** A deduplicated transactions v1 silver row, reduced to what matching reads. Money is INT64 minor units. */
export interface MatchableTransaction extends RowLineage {
  readonly transaction_id: string;
  readonly type: TransactionType;
  readonly amount_minor: bigint;
  readonly currency: string;
  readonly settlement_reference: string | null;
}

/** A deduplicated settlements v1 silver row, reduced to what matching reads. Money is INT64 minor units. */
export interface MatchableSettlement extends RowLineage {
  readonly settlement_id: string;
  readonly transaction_reference: string;
  readonly amount_minor: bigint;
  readonly fee_minor: bigint;
  readonly currency: string;
  readonly payout_batch_id: string | null;
}

/** Code-unit order (never locale order, which varies by runtime). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLineage(a: RowLineage, b: RowLineage): number {
  return (
    compareText(a._file_id, b._file_id) ||
    (a._row_number < b._row_number ? -1 : a._row_number > b._row_number ? 1 : 0)
  );
}

/** Canonical transaction order: business date, id, then lineage. Ties between claimants resolve to the first. */
export function compareTransactions(a: MatchableTransaction, b: MatchableTransaction): number {
  return (
    compareText(a.business_date, b.business_date) ||
    compareText(a.transaction_id, b.transaction_id) ||
    compareLineage(a, b)
  );
}

/** Canonical settlement order: business date, id, then lineage. */
export function compareSettlements(a: MatchableSettlement, b: MatchableSettlement): number {
  return (
    compareText(a.business_date, b.business_date) ||
    compareText(a.settlement_id, b.settlement_id) ||
    compareLineage(a, b)
  );
}

/** Identity of one input row across every output: its file and physical line. */
export function rowId(row: RowLineage): string {
  return `${row._file_id}#${row._row_number}`;
}

/** Key value a transaction offers in a pass; null (never matched in that pass) when the column is empty. */
export function transactionKey(row: MatchableTransaction, field: TransactionKeyField): string | null {
  const value = row[field];
  return value === null || value === '' ? null : value;
}

/** Key value a settlement offers in a pass; null when the column is empty. */
export function settlementKey(row: MatchableSettlement, field: SettlementKeyField): string | null {
  const value = row[field];
  return value === null || value === '' ? null : value;
}
