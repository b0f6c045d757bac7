import type { PartnerCounts } from '../day-counts.ts';
import type { PartnerTruth } from '../generate/day-truth.ts';

/** One line of "injected vs reported": the ground truth beside what each side concluded (null: that side did not run). */
export interface ComparisonRow {
  readonly what: string;
  readonly injected: number;
  readonly endToEnd: number | null;
  readonly bare: number | null;
}

/** The comparison over all partners, and every partner-level difference spelled out. */
export interface TruthComparison {
  readonly rows: readonly ComparisonRow[];
  /** Valid sums per currency and dataset equal to the truth for every partner (null: that side did not run). */
  readonly validSumsAgree: { readonly endToEnd: boolean | null; readonly bare: boolean | null };
  readonly differences: readonly string[];
}

type Measure = readonly [
  string,
  (truth: PartnerTruth) => number,
  (counts: PartnerCounts) => number | undefined,
];

const MEASURES: readonly Measure[] = [
  ['transaction rows read', (t) => t.rows.transactions, (c) => c.rows.transactions],
  ['settlement rows read', (t) => t.rows.settlements, (c) => c.rows.settlements],
  ['invalid transactions (quarantined)', (t) => t.invalid.transactions, (c) => c.invalid.transactions],
  ['invalid settlements (quarantined)', (t) => t.invalid.settlements, (c) => c.invalid.settlements],
  [
    'duplicate transactions (within + across files)',
    (t) => t.duplicatesWithinFile.transactions + t.duplicatesCrossFile,
    (c) => c.duplicates.transactions,
  ],
  [
    'duplicate settlements (within file)',
    (t) => t.duplicatesWithinFile.settlements,
    (c) => c.duplicates.settlements,
  ],
  ['conflicting transactions (across files)', (t) => t.conflictsCrossFile, (c) => c.conflicts.transactions],
  ['conflicting settlements', () => 0, (c) => c.conflicts.settlements],
  ['settling transactions (unique payments)', (t) => t.settlingTransactions, (c) => c.matching?.transactions],
  ['matched transactions (1:1, 1:N, N:1)', (t) => t.matchedTransactions, (c) => c.matching?.matched],
  ['partially settled', (t) => t.partiallySettled, (c) => c.matching?.partiallySettled],
  ['unmatched transactions', (t) => t.unmatched, (c) => c.matching?.unmatched],
  ['amount-mismatched transactions', (t) => t.amountMismatches, (c) => c.matching?.mismatched],
  ['settlements (unique)', (t) => t.settlements, (c) => c.matching?.settlements],
  ['orphan settlements', (t) => t.orphanSettlements, (c) => c.matching?.orphanSettlements],
];

/**
 * Compare the ground truth with the end-to-end report and the bare SQL job, partner by partner, and sum per measure.
 * @example compareWithTruth(manifest.partners, endToEnd.reported, bare.counts)
 */
export function compareWithTruth(
  truth: readonly PartnerTruth[],
  endToEnd: readonly PartnerCounts[] | null,
  bare: readonly PartnerCounts[] | null,
): TruthComparison {
  const differences: string[] = [];
  const side = (name: string, counts: readonly PartnerCounts[] | null, measure: Measure): number | null => {
    if (!counts) return null;
    let total = 0;
    for (const partner of truth) {
      const found = counts.find((entry) => entry.partner === partner.partner);
      const value = found ? measure[2](found) : undefined;
      const expected = measure[1](partner);
      if (value !== expected)
        differences.push(
          `${name}: ${partner.partner} ${measure[0]}: injected ${expected}, reported ${value ?? 'nothing'}`,
        );
      total += value ?? 0;
    }
    return total;
  };
  const rows = MEASURES.map((measure) => ({
    what: measure[0],
    injected: truth.reduce((total, partner) => total + measure[1](partner), 0),
    endToEnd: side('end to end', endToEnd, measure),
    bare: side('bare SQL', bare, measure),
  }));
  const sumsAgree = (counts: readonly PartnerCounts[] | null): boolean | null =>
    counts === null
      ? null
      : truth.every((partner) => {
          const found = counts.find((entry) => entry.partner === partner.partner);
          return JSON.stringify(found?.validSums) === JSON.stringify(partner.validSums);
        });
  return { rows, validSumsAgree: { endToEnd: sumsAgree(endToEnd), bare: sumsAgree(bare) }, differences };
}
