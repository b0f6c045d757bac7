import { type CurrencyCode, formatMinorUnits } from '../../contracts/datasets/money.ts';
import type { DeclaredTotals } from '../../contracts/datasets/trailer.ts';
import type { ControlTotals } from '../../contracts/events/file-validated.ts';

/**
 * Row count and amount sum per currency, in bigint minor units (never a float).
 * @example const totals = new TotalsAccumulator(); totals.countRow(); totals.add('EUR', 105025n); totals.toJSON()
 */
export class TotalsAccumulator {
  private rows = 0;
  private readonly sums = new Map<string, bigint>();

  countRow(): void {
    this.rows += 1;
  }

  add(currency: string, minor: bigint): void {
    this.sums.set(currency, (this.sums.get(currency) ?? 0n) + minor);
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Add totals counted elsewhere (a chunk of the same file): rows and every currency's sum. */
  addTotals(totals: ControlTotals): void {
    this.rows += totals.rowCount;
    for (const [currency, sum] of Object.entries(totals.sums)) this.add(currency, BigInt(sum));
  }

  sumOf(currency: string): bigint {
    return this.sums.get(currency) ?? 0n;
  }

  currencies(): string[] {
    return [...this.sums.keys()].sort();
  }

  /** Contract shape: sums as decimal strings of minor units, currencies sorted. */
  toJSON(): ControlTotals {
    return {
      rowCount: this.rows,
      sums: Object.fromEntries(this.currencies().map((code) => [code, this.sumOf(code).toString()])),
    };
  }
}

/** The trailer's totals in contract shape. */
export function declaredToJSON(declared: DeclaredTotals): ControlTotals {
  const codes = [...declared.sums.keys()].sort();
  return {
    rowCount: declared.rowCount,
    sums: Object.fromEntries(codes.map((code) => [code, (declared.sums.get(code) ?? 0n).toString()])),
  };
}

/**
 * Differences between what the trailer declares and what was computed on every data record; empty when they
 * agree. A currency absent on one side counts as zero there.
 */
export function totalsDifferences(declared: DeclaredTotals, computed: TotalsAccumulator): string[] {
  const differences: string[] = [];
  if (declared.rowCount !== computed.rowCount) {
    differences.push(`rows: trailer ${declared.rowCount}, file ${computed.rowCount}`);
  }
  const codes = new Set<string>([...declared.sums.keys(), ...computed.currencies()]);
  for (const code of [...codes].sort()) {
    const want = declared.sums.get(code as CurrencyCode) ?? 0n;
    const got = computed.sumOf(code);
    if (want !== got) {
      const currency = code as CurrencyCode;
      differences.push(
        `${code}: trailer ${formatMinorUnits(want, currency)}, file ${formatMinorUnits(got, currency)}`,
      );
    }
  }
  return differences;
}
