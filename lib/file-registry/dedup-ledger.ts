import type { TransactItem } from '../outbox/transaction.ts';

/**
 * Per partner and business date, every dedup run committed for it, in one `files` item (`pk DEDUPS#<partner>#<date>`,
 * `sk LEDGER`, a string set `runs` of `<fileId>:<runId>`), added in the transaction that commits the run. The
 * `files-by-day` index is eventually consistent: two files deduplicated together may each miss the other there, while
 * a strongly consistent read of this item lists every run committed before it. Readers take the index, then fetch
 * what the ledger names and the index has not caught up with.
 */
export interface DedupLedgerRecord {
  pk: string;
  sk: 'LEDGER';
  runs?: Set<string>;
}

/** One committed run as the ledger names it. */
export interface LedgerEntry {
  readonly fileId: string;
  readonly runId: string;
}

/**
 * @example dedupLedgerKey('acme-bank', '2026-11-20') // { pk: 'DEDUPS#acme-bank#2026-11-20', sk: 'LEDGER' }
 */
export const dedupLedgerKey = (partner: string, businessDate: string) => ({
  pk: `DEDUPS#${partner}#${businessDate}`,
  sk: 'LEDGER' as const,
});

const entryOf = ({ fileId, runId }: LedgerEntry): string => `${fileId}:${runId}`;

/** The transaction action that adds a committed run to its partner and date's ledger (creating the item). */
export function addToDedupLedger(
  table: string,
  run: LedgerEntry & { readonly partner: string; readonly businessDate: string },
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: dedupLedgerKey(run.partner, run.businessDate),
      UpdateExpression: 'ADD #runs :run',
      ExpressionAttributeNames: { '#runs': 'runs' },
      ExpressionAttributeValues: { ':run': new Set([entryOf(run)]) },
    },
  };
}

/**
 * The runs a ledger item names, in a stable order.
 * @example ledgerEntries({ pk, sk: 'LEDGER', runs: new Set(['f_1:run_a']) }) // [{ fileId: 'f_1', runId: 'run_a' }]
 */
export function ledgerEntries(record: DedupLedgerRecord | undefined): LedgerEntry[] {
  return [...(record?.runs ?? [])].sort().map((entry) => {
    const at = entry.lastIndexOf(':');
    return { fileId: entry.slice(0, at), runId: entry.slice(at + 1) };
  });
}
