import type {
  DEDUP_OUTCOMES,
  DeduplicatedFacts,
  FileFacts,
  ReconcileInput,
  RejectedFacts,
  SumsByCurrency,
  ValidatedFacts,
} from '../reconcile-input.ts';

export const PARTNER = 'acme-bank';
export const DATE = '2026-11-20';

/**
 * A file that went cleanly through validation and dedup: 10 records read (1 quarantined, 100 EUR of it), 9 valid
 * (EUR 1500.00 and USD 20.00), declared by its trailer; dedup kept 7, dropped 1 duplicate, quarantined 1 conflict.
 */
export function balancedFile(fileId = 'f_a'): FileFacts {
  return {
    landed: {
      fileId,
      partner: PARTNER,
      dataset: 'transactions',
      businessDate: DATE,
      sizeBytes: 1200,
      lineCount: 11,
      landingRunId: 'run_land',
      supersededBy: null,
    },
    validated: validated(),
    rejected: null,
    deduplicated: deduplicated(),
  };
}

export function validated(change: Partial<ValidatedFacts> = {}): ValidatedFacts {
  return {
    runId: 'run_val',
    counts: { rowsIn: 10, valid: 9, quarantined: 1 },
    controlTotals: {
      declared: { rowCount: 10, sums: { EUR: '160000', USD: '2000' } },
      computed: { rowCount: 10, sums: { EUR: '160000', USD: '2000' } },
    },
    validTotals: { rowCount: 9, sums: { EUR: '150000', USD: '2000' } },
    ...change,
  };
}

/** Dedup facts whose outcome totals count what `counts` counts, with the sums given (or the balanced ones). */
export function deduplicated(
  change: {
    counts?: DeduplicatedFacts['counts'];
    sums?: Partial<Record<(typeof DEDUP_OUTCOMES)[number], SumsByCurrency>>;
    totals?: DeduplicatedFacts['totals'];
  } = {},
): DeduplicatedFacts {
  const counts = change.counts ?? { valid: 9, unique: 7, duplicates: 1, conflicts: 1 };
  const sums = {
    unique: { EUR: '120000', USD: '2000' },
    duplicates: { EUR: '10000' },
    conflicts: { EUR: '20000' },
    ...change.sums,
  };
  return {
    runId: 'run_dedup',
    counts,
    totals: change.totals ?? {
      unique: { rowCount: counts.unique, sums: sums.unique },
      duplicates: { rowCount: counts.duplicates, sums: sums.duplicates },
      conflicts: { rowCount: counts.conflicts, sums: sums.conflicts },
    },
  };
}

export function rejected(change: Partial<RejectedFacts> = {}): RejectedFacts {
  return {
    runId: 'run_val',
    code: 'TRAILER_MISMATCH',
    reason: 'The trailer declares 12 records; the file holds 10.',
    counts: { rowsIn: 10, valid: 9, quarantined: 1 },
    ...change,
  };
}

/** A file with some stages changed. */
export function fileWith(change: Partial<FileFacts>, fileId = 'f_a'): FileFacts {
  return { ...balancedFile(fileId), ...change };
}

export function reconInput(files: readonly FileFacts[]): ReconcileInput {
  return { partner: PARTNER, dataset: 'transactions', businessDate: DATE, reconRunId: 'run_recon', files };
}

/** Deep-freeze facts so a test fails if the domain mutates its input. */
export function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}
