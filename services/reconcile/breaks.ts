import type { ReconBreak, ReconBreakKind } from '../../contracts/events/reconciliation-completed.ts';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import { showAmount } from './sums.ts';

/** A row-count break: `actual − expected` rows, with what to do next. */
export function rowBreak(spec: {
  kind: Exclude<ReconBreakKind, 'DECLARED_VS_COMPUTED_AMOUNT' | 'VALID_VS_CURATED_AMOUNT'>;
  fileId: string | null;
  check: string;
  expected: number;
  actual: number;
  cause: string;
}): ReconBreak {
  return {
    kind: spec.kind,
    fileId: spec.fileId,
    currency: null,
    check: spec.check,
    expected: String(spec.expected),
    actual: String(spec.actual),
    differenceRows: spec.actual - spec.expected,
    differenceMinor: null,
    cause: maskCardNumbers(spec.cause),
  };
}

/** An amount break in one currency: `actual − expected` minor units. */
export function amountBreak(spec: {
  kind: 'DECLARED_VS_COMPUTED_AMOUNT' | 'VALID_VS_CURATED_AMOUNT';
  fileId: string;
  currency: string;
  check: string;
  expected: bigint;
  actual: bigint;
  /** Receives the figures formatted for people (major units with the currency). */
  cause: (shown: { expected: string; actual: string; difference: string }) => string;
}): ReconBreak {
  const difference = spec.actual - spec.expected;
  return {
    kind: spec.kind,
    fileId: spec.fileId,
    currency: spec.currency,
    check: spec.check,
    expected: spec.expected.toString(),
    actual: spec.actual.toString(),
    differenceRows: null,
    differenceMinor: difference.toString(),
    // Causes are free text that may quote partner figures: one masking function for all of them.
    cause: maskCardNumbers(
      spec.cause({
        expected: showAmount(spec.expected, spec.currency),
        actual: showAmount(spec.actual, spec.currency),
        difference: showAmount(difference, spec.currency),
      }),
    ),
  };
}

/** A break about where a file is, not about a figure (no difference to state). */
export function stageBreak(spec: {
  kind: 'FILE_NOT_TERMINAL' | 'NO_FILES';
  fileId: string | null;
  check: string;
  expected: string;
  actual: string;
  cause: string;
}): ReconBreak {
  return {
    ...spec,
    cause: maskCardNumbers(spec.cause),
    currency: null,
    differenceRows: null,
    differenceMinor: null,
  };
}
