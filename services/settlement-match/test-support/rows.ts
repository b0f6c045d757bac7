import type { MatchingRules, MatchPass } from '../../../config/matching-rules.ts';
import type { MatchResult } from '../match-result.ts';
import { matchSettlements } from '../matching.ts';
import type { MatchableSettlement, MatchableTransaction } from '../rows.ts';

export const PARTNER = 'acme-bank';

/** A valid file id per dataset and date, e.g. f_a20261120000000000000000. */
export function fileIdOf(dataset: 'transactions' | 'settlements', date: string): string {
  return `f_${dataset === 'transactions' ? 'a' : 'b'}${date.replaceAll('-', '')}`.padEnd(26, '0');
}

let nextRow = 2n;

/** A transaction row: `amount` in minor units, the file and row number derived from date and call order. */
export function tx(
  id: string,
  amount: bigint,
  options: Partial<Omit<MatchableTransaction, 'transaction_id' | 'amount_minor'>> = {},
): MatchableTransaction {
  const business_date = options.business_date ?? '2026-11-20';
  nextRow += 1n;
  return {
    transaction_id: id,
    type: amount < 0n ? 'refund' : 'payment',
    amount_minor: amount,
    currency: 'EUR',
    settlement_reference: null,
    partner: PARTNER,
    business_date,
    _file_id: fileIdOf('transactions', business_date),
    _row_number: nextRow,
    _run_id: `run-tx-${business_date}`,
    ...options,
  };
}

/** A settlement row paying `reference` (transaction_reference) with amount and fee in minor units. */
export function st(
  id: string,
  reference: string,
  amount: bigint,
  fee: bigint,
  options: Partial<Omit<MatchableSettlement, 'settlement_id' | 'amount_minor' | 'fee_minor'>> = {},
): MatchableSettlement {
  const business_date = options.business_date ?? '2026-11-20';
  nextRow += 1n;
  return {
    settlement_id: id,
    transaction_reference: reference,
    amount_minor: amount,
    fee_minor: fee,
    currency: 'EUR',
    payout_batch_id: null,
    partner: PARTNER,
    business_date,
    _file_id: fileIdOf('settlements', business_date),
    _row_number: nextRow,
    _run_id: `run-st-${business_date}`,
    ...options,
  };
}

export const BY_REFERENCE: MatchPass = {
  name: 'transaction-reference',
  transactionField: 'transaction_id',
  settlementField: 'transaction_reference',
  partialSettlements: false,
  payoutBatches: false,
};

export const BY_SETTLEMENT_ID: MatchPass = {
  name: 'settlement-id',
  transactionField: 'settlement_reference',
  settlementField: 'settlement_id',
  partialSettlements: false,
  payoutBatches: false,
};

/** Strict test rules: exact reference 1:1, no tolerance, net fees, wait 2 days, window 7. */
export function rules(overrides: Partial<MatchingRules> = {}): MatchingRules {
  return {
    partner: PARTNER,
    settlingTypes: ['payment', 'refund', 'chargeback', 'reversal'],
    passes: [BY_REFERENCE],
    toleranceMinor: { default: 0n, byCurrency: {} },
    feeTreatment: 'net',
    fx: 'unsupported-in-v1',
    settlementWaitDays: 2,
    windowDays: 7,
    ...overrides,
  };
}

/** A result as short lines, for tables: ids, shapes, money and ages, in the result's own order. */
export function outcomeLines(result: MatchResult): string[] {
  const ids = (group: {
    transactions: readonly { transaction_id: string }[];
    settlements: readonly { settlement_id: string }[];
  }) =>
    `${group.transactions.map((row) => row.transaction_id).join('+')} <- ${group.settlements.map((row) => row.settlement_id).join('+')}`;
  return [
    ...result.matched.map(
      (group) =>
        `matched ${group.shape} ${ids(group)} ${group.currency} ${group.expectedMinor}/${group.settledMinor} fee ${group.feeMinor}`,
    ),
    ...result.partiallySettled.map(
      (group) =>
        `partial ${ids(group)} outstanding ${group.outstandingMinor} age ${group.ageDays}${group.aged ? ' aged' : ''}`,
    ),
    ...result.unmatchedTransactions.map(
      (item) =>
        `unmatched ${item.transaction.transaction_id} ${item.reason} age ${item.ageDays}${item.aged ? ' aged' : ''}${item.leavesWindow ? ' leaves-window' : ''}`,
    ),
    ...result.orphanSettlements.map(
      (item) => `orphan ${item.settlement.settlement_id} ${item.reason} age ${item.ageDays}`,
    ),
    ...result.amountMismatches.map((mismatch) =>
      mismatch.cause === 'CURRENCY'
        ? `mismatch CURRENCY ${ids(mismatch.group)} ${mismatch.transactionCurrencies.join(',')} vs ${mismatch.settlementCurrencies.join(',')}`
        : `mismatch ${mismatch.cause} ${mismatch.group.shape} ${ids(mismatch.group)} ${mismatch.expectedMinor}/${mismatch.settledMinor} diff ${mismatch.differenceMinor}`,
    ),
  ];
}

export const AS_OF = '2026-11-20';

/** Rules with instalments allowed on the reference pass. */
export const PARTIALS: Partial<MatchingRules> = { passes: [{ ...BY_REFERENCE, partialSettlements: true }] };

/** Match test rows for PARTNER as of `asOf` under `rules(overrides)`. */
export function runMatch(
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
  overrides: Partial<MatchingRules> = {},
  asOf = AS_OF,
): MatchResult {
  return matchSettlements({ partner: PARTNER, asOf, transactions, settlements, rules: rules(overrides) });
}
