import type { MatchingRules, MatchPass } from '../../config/matching-rules.ts';
import { evaluateGroup, type GroupOutcome, settlesWithin } from './group-evaluation.ts';
import type { GroupShape, MatchGroup } from './match-result.ts';
import {
  type MatchableSettlement,
  type MatchableTransaction,
  rowId,
  settlementKey,
  transactionKey,
} from './rows.ts';

type MoneyRules = Pick<MatchingRules, 'toleranceMinor' | 'feeTreatment'>;

/** What one pass decided, and the rows it left open for the next pass. */
export interface PassResult {
  readonly decided: readonly { readonly group: MatchGroup; readonly outcome: GroupOutcome }[];
  readonly openTransactions: readonly MatchableTransaction[];
  readonly openSettlements: readonly MatchableSettlement[];
  /** Row ids of rows left open because several rows claimed the same key (see `resolveKeyGroup`). */
  readonly ambiguous: ReadonlySet<string>;
}

function shapeOf(transactions: number, settlements: number): GroupShape | 'N:M' {
  if (transactions === 1) return settlements === 1 ? '1:1' : '1:N';
  return settlements === 1 ? 'N:1' : 'N:M';
}

function allows(pass: MatchPass, shape: GroupShape | 'N:M'): shape is GroupShape {
  return (
    shape === '1:1' || (shape === '1:N' && pass.partialSettlements) || (shape === 'N:1' && pass.payoutBatches)
  );
}

function byKey<Row>(rows: readonly Row[], key: (row: Row) => string | null): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const value = key(row);
    if (value === null) continue;
    const group = groups.get(value);
    if (group) group.push(row);
    else groups.set(value, [row]);
  }
  return groups;
}

/**
 * Decide the rows sharing one key value (both sides non-empty, in canonical order).
 * 1. A shape the pass allows (1:1 always, 1:N with partialSettlements, N:1 with payoutBatches) is one group.
 * 2. Any other shape is ambiguous (e.g. two transactions claim one settlement without payoutBatches, or a
 *    settlement is sent twice without partialSettlements): each transaction in canonical order takes the
 *    first unused settlement that settles it within tolerance, as a 1:1 group; every row left over stays
 *    open, marked AMBIGUOUS_REFERENCE, for later passes and the report. Nothing is guessed on amount alone.
 */
export function resolveKeyGroup(
  pass: MatchPass,
  key: string,
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
  rules: MoneyRules,
): PassResult {
  const shape = shapeOf(transactions.length, settlements.length);
  if (allows(pass, shape)) {
    const group: MatchGroup = { rule: pass.name, key, shape, transactions, settlements };
    const outcome = evaluateGroup(group, rules, pass.partialSettlements);
    return { decided: [{ group, outcome }], openTransactions: [], openSettlements: [], ambiguous: new Set() };
  }
  const decided: { group: MatchGroup; outcome: GroupOutcome }[] = [];
  const openTransactions: MatchableTransaction[] = [];
  const remaining = [...settlements];
  for (const transaction of transactions) {
    const index = remaining.findIndex((settlement) => settlesWithin([transaction], [settlement], rules));
    const [settlement] = index === -1 ? [] : remaining.splice(index, 1);
    if (settlement === undefined) {
      openTransactions.push(transaction);
      continue;
    }
    const group: MatchGroup = {
      rule: pass.name,
      key,
      shape: '1:1',
      transactions: [transaction],
      settlements: [settlement],
    };
    decided.push({ group, outcome: evaluateGroup(group, rules, false) });
  }
  const ambiguous = new Set([...openTransactions, ...remaining].map(rowId));
  return { decided, openTransactions, openSettlements: remaining, ambiguous };
}

/**
 * Run one pass over the open rows: group both sides by the pass's key fields (empty keys sit the pass out),
 * decide each key present on both sides in key order, and return what stays open, in canonical order.
 */
export function runPass(
  pass: MatchPass,
  transactions: readonly MatchableTransaction[],
  settlements: readonly MatchableSettlement[],
  rules: MoneyRules,
): PassResult {
  const transactionsByKey = byKey(transactions, (row) => transactionKey(row, pass.transactionField));
  const settlementsByKey = byKey(settlements, (row) => settlementKey(row, pass.settlementField));
  const keys = [...transactionsByKey.keys()].filter((key) => settlementsByKey.has(key)).sort();
  const decided: PassResult['decided'][number][] = [];
  const ambiguous = new Set<string>();
  const closed = new Set<string>();
  for (const key of keys) {
    const result = resolveKeyGroup(
      pass,
      key,
      transactionsByKey.get(key) ?? [],
      settlementsByKey.get(key) ?? [],
      rules,
    );
    decided.push(...result.decided);
    for (const id of result.ambiguous) ambiguous.add(id);
    for (const { group } of result.decided) {
      for (const row of [...group.transactions, ...group.settlements]) closed.add(rowId(row));
    }
  }
  return {
    decided,
    openTransactions: transactions.filter((row) => !closed.has(rowId(row))),
    openSettlements: settlements.filter((row) => !closed.has(rowId(row))),
    ambiguous,
  };
}
