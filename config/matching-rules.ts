/**
 * Settlement matching rules per partner: how settlement-match pairs a partner's settlements with its
 * transactions. Data, not code: changing how a partner settles is a reviewed change here.
 * The semantics of every field are in services/settlement-match/README.md.
 */
import type { CurrencyCode } from '../contracts/datasets/money.ts';
import type { TransactionType } from '../contracts/datasets/transactions.ts';

/** Transaction silver columns a settlement can be matched on. */
export type TransactionKeyField = 'transaction_id' | 'settlement_reference';

/** Settlement silver columns a transaction can be matched on. */
export type SettlementKeyField = 'transaction_reference' | 'settlement_id' | 'payout_batch_id';

/**
 * One matching pass: rows whose key values are equal (exact, case-sensitive) form a candidate group.
 * Passes run in order; a later pass sees only the rows earlier passes left open.
 */
export interface MatchPass {
  /** Shown on every group the pass forms, for audit. */
  readonly name: string;
  readonly transactionField: TransactionKeyField;
  readonly settlementField: SettlementKeyField;
  /** 1 transaction → N settlements (instalments); a short group stays open as partially settled. */
  readonly partialSettlements: boolean;
  /** N transactions → 1 settlement (a payout batch paid as one line). */
  readonly payoutBatches: boolean;
}

export interface MatchingRules {
  readonly partner: string;
  /**
   * Transaction types the partner sends a settlement line for. Others (refunds, chargebacks, reversals settle
   * through other channels) are left out of matching and counted apart, never reported unmatched.
   */
  readonly settlingTypes: readonly TransactionType[];
  readonly passes: readonly MatchPass[];
  /** Largest |settled − expected| of a group still counted as matched, in minor units of its currency. */
  readonly toleranceMinor: {
    readonly default: bigint;
    readonly byCurrency: Readonly<Partial<Record<CurrencyCode, bigint>>>;
  };
  /**
   * `net`: the settlement's amount is net of its fee, so amount + fee = transaction amount (settlements v1).
   * `gross`: amount = transaction amount and the fee is charged separately.
   */
  readonly feeTreatment: 'net' | 'gross';
  /**
   * Settlements v1 carries no FX rate or original amount, so a settlement in another currency than its
   * transactions cannot be checked: it is an amount mismatch with cause CURRENCY, never converted.
   */
  readonly fx: 'unsupported-in-v1';
  /** Days a transaction may wait for its settlement before it counts as aged. */
  readonly settlementWaitDays: number;
  /**
   * Business dates matched over: asOf − windowDays … asOf. Rows older than that are no longer matched;
   * an open item is last reported (flagged `leavesWindow`) on the day its age equals windowDays.
   */
  readonly windowDays: number;
}

/** The settlements v1 default: a settlement names the transaction it pays. */
const BY_TRANSACTION_REFERENCE: MatchPass = {
  name: 'transaction-reference',
  transactionField: 'transaction_id',
  settlementField: 'transaction_reference',
  partialSettlements: false,
  payoutBatches: false,
};

export const matchingRules: readonly MatchingRules[] = [
  {
    partner: 'acme-bank',
    settlingTypes: ['payment'],
    passes: [{ ...BY_TRANSACTION_REFERENCE, partialSettlements: true }],
    toleranceMinor: { default: 0n, byCurrency: {} },
    feeTreatment: 'net',
    fx: 'unsupported-in-v1',
    settlementWaitDays: 2,
    windowDays: 7,
  },
  {
    partner: 'globex-pay',
    settlingTypes: ['payment'],
    passes: [
      BY_TRANSACTION_REFERENCE,
      {
        name: 'payout-batch',
        transactionField: 'settlement_reference',
        settlementField: 'settlement_id',
        partialSettlements: false,
        payoutBatches: true,
      },
    ],
    toleranceMinor: { default: 1n, byCurrency: {} },
    feeTreatment: 'net',
    fx: 'unsupported-in-v1',
    settlementWaitDays: 3,
    windowDays: 10,
  },
  {
    partner: 'initech-acq',
    settlingTypes: ['payment'],
    passes: [BY_TRANSACTION_REFERENCE],
    toleranceMinor: { default: 0n, byCurrency: { JPY: 1n } },
    feeTreatment: 'net',
    fx: 'unsupported-in-v1',
    settlementWaitDays: 1,
    windowDays: 5,
  },
];

/** Rules of a partner; undefined when none are declared (matching is refused, not guessed). */
export function findMatchingRules(partner: string): MatchingRules | undefined {
  return matchingRules.find((rules) => rules.partner === partner);
}
