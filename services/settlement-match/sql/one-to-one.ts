/** A row of an ambiguous key as the one-to-one resolution sees it. */
export interface ClaimRow {
  /** Canonical rank on its side. */
  readonly seq: bigint;
  readonly currency: string;
  /** A transaction's amount, or what a settlement settles (amount, plus fee under `net`). */
  readonly value: bigint;
}

/** Rows of one key and what became of them. */
export interface OneToOne {
  /** [transaction seq, settlement seq] pairs, in transaction order. */
  readonly pairs: readonly (readonly [bigint, bigint])[];
  readonly openTransactions: readonly bigint[];
  readonly openSettlements: readonly bigint[];
}

/** Unused settlements of one currency, by settled value (sorted) then canonical order. */
class SettlementIndex {
  private readonly values: bigint[];
  private readonly queues = new Map<bigint, { seqs: bigint[]; head: number }>();

  constructor(settlements: readonly ClaimRow[]) {
    for (const row of settlements) {
      const queue = this.queues.get(row.value);
      if (queue) queue.seqs.push(row.seq);
      else this.queues.set(row.value, { seqs: [row.seq], head: 0 });
    }
    this.values = [...this.queues.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Take the first unused settlement (lowest seq) whose value is within [low, high]. */
  take(low: bigint, high: bigint): bigint | undefined {
    let best: { seqs: bigint[]; head: number } | undefined;
    for (let at = this.lowerBound(low); at < this.values.length; at += 1) {
      const value = this.values[at] as bigint;
      if (value > high) break;
      const queue = this.queues.get(value);
      const seq = queue?.seqs[queue.head];
      if (queue && seq !== undefined && (!best || seq < (best.seqs[best.head] as bigint))) best = queue;
    }
    if (!best) return undefined;
    best.head += 1;
    return best.seqs[best.head - 1];
  }

  private lowerBound(low: bigint): number {
    let [from, to] = [0, this.values.length];
    while (from < to) {
      const middle = (from + to) >>> 1;
      if ((this.values[middle] as bigint) < low) from = middle + 1;
      else to = middle;
    }
    return from;
  }
}

/**
 * `resolveKeyGroup` for a shape the pass does not allow: each transaction in canonical order takes the first unused
 * settlement, in canonical order, that settles it alone within tolerance (same currency, |settled − amount| ≤
 * tolerance), as 1:1; every row left over stays open. Indexed by currency and value, so a key claimed by thousands
 * of rows costs a binary search per transaction instead of a scan of the settlements.
 * @example resolveOneToOne([{ seq: 0n, currency: 'EUR', value: 10n }], [{ seq: 4n, currency: 'EUR', value: 10n }], () => 0n) // pairs [[0n, 4n]]
 */
export function resolveOneToOne(
  transactions: readonly ClaimRow[],
  settlements: readonly ClaimRow[],
  toleranceOf: (currency: string) => bigint,
): OneToOne {
  const byCurrency = new Map<string, ClaimRow[]>();
  for (const row of settlements) {
    const rows = byCurrency.get(row.currency);
    if (rows) rows.push(row);
    else byCurrency.set(row.currency, [row]);
  }
  const indexes = new Map([...byCurrency].map(([currency, rows]) => [currency, new SettlementIndex(rows)]));
  const pairs: (readonly [bigint, bigint])[] = [];
  const openTransactions: bigint[] = [];
  const used = new Set<bigint>();
  for (const transaction of transactions) {
    const tolerance = toleranceOf(transaction.currency);
    const seq = indexes
      .get(transaction.currency)
      ?.take(transaction.value - tolerance, transaction.value + tolerance);
    if (seq === undefined) openTransactions.push(transaction.seq);
    else {
      pairs.push([transaction.seq, seq]);
      used.add(seq);
    }
  }
  const openSettlements = settlements.filter((row) => !used.has(row.seq)).map((row) => row.seq);
  return { pairs, openTransactions, openSettlements };
}
