import type { MatchingRules } from '../../config/matching-rules.ts';
import type { CurrencyCode } from '../../contracts/datasets/money.ts';
import type { AmountMismatch, GroupTotals, MatchGroup } from './match-result.ts';
import type { MatchableSettlement, MatchableTransaction } from './rows.ts';

/** What one candidate group amounts to, before ages are attached. */
export type GroupOutcome =
  | { readonly kind: 'matched'; readonly totals: GroupTotals }
  | { readonly kind: 'partial'; readonly totals: GroupTotals; readonly outstandingMinor: bigint }
  | { readonly kind: 'mismatch'; readonly mismatch: AmountMismatch };

type MoneyRules = Pick<MatchingRules, 'toleranceMinor' | 'feeTreatment'>;

const abs = (value: bigint): bigint => (value < 0n ? -value : value);
const sum = (values: readonly bigint[]): bigint => values.reduce((total, value) => total + value, 0n);

/** Tolerance of a currency in its minor units: the currency's own, else the partner default. */
export function toleranceFor(rules: Pick<MatchingRules, 'toleranceMinor'>, currency: string): bigint {
  return rules.toleranceMinor.byCurrency[currency as CurrencyCode] ?? rules.toleranceMinor.default;
}

/** Totals of a group whose rows share one currency. */
export function groupTotals(
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
  rules: Pick<MatchingRules, 'feeTreatment'>,
  currency: string,
): GroupTotals {
  const expectedMinor = sum(transactions.map((row) => row.amount_minor));
  const amountMinor = sum(settlements.map((row) => row.amount_minor));
  const feeMinor = sum(settlements.map((row) => row.fee_minor));
  const settledMinor = rules.feeTreatment === 'net' ? amountMinor + feeMinor : amountMinor;
  return { currency, expectedMinor, settledMinor, feeMinor, differenceMinor: settledMinor - expectedMinor };
}

/** Whether transactions and settlements of one currency settle each other within tolerance. */
export function settlesWithin(
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
  rules: MoneyRules,
): boolean {
  const currencies = currenciesOf(transactions, settlements);
  const [currency] = currencies;
  if (currencies.length !== 1 || currency === undefined) return false;
  const totals = groupTotals(transactions, settlements, rules, currency);
  return abs(totals.differenceMinor) <= toleranceFor(rules, currency);
}

/** Sorted distinct currencies of both sides. */
function currenciesOf(
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
): string[] {
  return [...new Set([...transactions, ...settlements].map((row) => row.currency))].sort();
}

/**
 * Settled less than expected, on the transaction's side of zero, and by more than the tolerance: an
 * instalment plan still running. Zero or opposite-sign settlements are not instalments.
 */
function isShort(totals: GroupTotals, tolerance: bigint): boolean {
  const direction = totals.expectedMinor < 0n ? -1n : 1n;
  const expected = totals.expectedMinor * direction;
  const settled = totals.settledMinor * direction;
  return settled > 0n && settled < expected - tolerance;
}

/**
 * The fee explains the difference: under `net` the amount alone already equals the transaction (the fee
 * was added on top); under `gross` amount + fee does (the fee was deducted although it should not be).
 */
function feeExplains(totals: GroupTotals, rules: MoneyRules, tolerance: bigint): boolean {
  if (totals.feeMinor === 0n) return false;
  const alternative =
    rules.feeTreatment === 'net'
      ? totals.settledMinor - totals.feeMinor
      : totals.settledMinor + totals.feeMinor;
  return abs(alternative - totals.expectedMinor) <= tolerance;
}

/**
 * Decide one group whose shape the pass allows.
 * 1. More than one currency: CURRENCY mismatch (no FX in settlements v1).
 * 2. Difference within the currency's tolerance: matched.
 * 3. One transaction, instalments allowed, settled short: partially settled, open.
 * 4. Otherwise a mismatch: FEE when the fee accounts for the difference, else AMOUNT.
 */
export function evaluateGroup(group: MatchGroup, rules: MoneyRules, instalments: boolean): GroupOutcome {
  const currencies = currenciesOf(group.transactions, group.settlements);
  const [currency] = currencies;
  if (currencies.length !== 1 || currency === undefined) {
    return {
      kind: 'mismatch',
      mismatch: {
        group,
        cause: 'CURRENCY',
        transactionCurrencies: [...new Set(group.transactions.map((row) => row.currency))].sort(),
        settlementCurrencies: [...new Set(group.settlements.map((row) => row.currency))].sort(),
      },
    };
  }
  const totals = groupTotals(group.transactions, group.settlements, rules, currency);
  const tolerance = toleranceFor(rules, currency);
  if (abs(totals.differenceMinor) <= tolerance) return { kind: 'matched', totals };
  if (instalments && group.transactions.length === 1 && isShort(totals, tolerance)) {
    return { kind: 'partial', totals, outstandingMinor: totals.expectedMinor - totals.settledMinor };
  }
  const cause = feeExplains(totals, rules, tolerance) ? 'FEE' : 'AMOUNT';
  return { kind: 'mismatch', mismatch: { group, cause, ...totals } };
}
