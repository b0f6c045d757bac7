import { describe, expect, it } from 'vitest';
import {
  type ReconBreak,
  ReconciliationCompletedPayloadSchema,
} from '../../contracts/events/reconciliation-completed.ts';
import { ReconcileInputError } from './errors.ts';
import { reconcile } from './reconcile.ts';
import type { FileFacts } from './reconcile-input.ts';
import {
  balancedFile,
  DATE,
  deduplicated,
  fileWith,
  frozen,
  PARTNER,
  reconInput,
  rejected,
  validated,
} from './test-support/facts.ts';

/** A break as a table row: kind, file, currency, check, expected → actual, difference. */
const brief = (b: ReconBreak) =>
  `${b.kind} ${b.fileId ?? '-'} ${b.currency ?? '-'} [${b.check}] ${b.expected}→${b.actual} Δ${b.differenceRows ?? b.differenceMinor ?? '-'}`;

/** Reconcile frozen facts and check the result against the event contract, as the producer will. */
function reconcileChecked(files: readonly FileFacts[]) {
  const result = reconcile(frozen(reconInput(files)));
  const parsed = ReconciliationCompletedPayloadSchema.safeParse(result);
  expect(parsed.error).toBeUndefined();
  return result;
}

describe('reconcile', () => {
  it('balances a file whose every stage adds up, with the ledger of each stage', () => {
    // Act
    const result = reconcileChecked([balancedFile()]);

    // Assess
    expect(result.balanced).toBe(true);
    expect(result.breaks).toEqual([]);
    expect(result.totals.rows).toEqual({
      files: { landed: 1, declared: 1, validated: 1, rejected: 0, deduplicated: 1 },
      landedLines: 11,
      landedBytes: 1200,
      declared: 10,
      read: 10,
      valid: 9,
      quarantined: 1,
      heldBack: 0,
      unique: 7,
      duplicates: 1,
      conflicts: 1,
    });
    expect(result.totals.amounts).toEqual({
      EUR: {
        declared: '160000',
        read: '160000',
        valid: '150000',
        quarantined: '10000',
        unique: '120000',
        duplicates: '10000',
        conflicts: '20000',
      },
      USD: {
        declared: '2000',
        read: '2000',
        valid: '2000',
        quarantined: '0',
        unique: '2000',
        duplicates: '0',
        conflicts: '0',
      },
    });
    expect(result.inputs.files).toEqual([
      {
        fileId: 'f_a',
        status: 'DEDUPLICATED',
        landingRunId: 'run_land',
        validationRunId: 'run_val',
        dedupRunId: 'run_dedup',
        supersededBy: null,
      },
    ]);
    expect(result).toMatchObject({ partner: PARTNER, businessDate: DATE, reconRunId: 'run_recon' });
  });

  it.each<[string, Partial<FileFacts>, string[]]>([
    [
      'a row dedup lost on purpose (classified rows do not add up to valid)',
      { deduplicated: deduplicated({ counts: { valid: 9, unique: 6, duplicates: 1, conflicts: 1 } }) },
      ['CONSERVATION f_a - [valid = unique + duplicates + conflicts] 9→8 Δ-1'],
    ],
    [
      'curated sums that are not valid sums minus duplicates and conflicts',
      {
        deduplicated: deduplicated({
          sums: {
            unique: { EUR: '119999', USD: '2000' },
            duplicates: { EUR: '10000' },
            conflicts: { EUR: '20000' },
          },
        }),
      },
      [
        'VALID_VS_CURATED_AMOUNT f_a EUR [valid sum = unique + duplicates + conflicts sums] 150000→149999 Δ-1',
      ],
    ],
    [
      'a currency that appears only after dedup',
      {
        deduplicated: deduplicated({
          sums: {
            unique: { EUR: '120000', USD: '2000', JPY: '500' },
            duplicates: { EUR: '10000' },
            conflicts: { EUR: '20000' },
          },
        }),
      },
      ['VALID_VS_CURATED_AMOUNT f_a JPY [valid sum = unique + duplicates + conflicts sums] 0→500 Δ500'],
    ],
    [
      'dedup taking in fewer rows than validation passed',
      {
        deduplicated: deduplicated({
          counts: { valid: 8, unique: 6, duplicates: 1, conflicts: 1 },
          sums: {
            unique: { EUR: '110000', USD: '2000' },
            duplicates: { EUR: '10000' },
            conflicts: { EUR: '20000' },
          },
        }),
      },
      [
        'ROWS_LOST_BETWEEN_STAGES f_a - [rows dedup took in = valid rows] 9→8 Δ-1',
        'VALID_VS_CURATED_AMOUNT f_a EUR [valid sum = unique + duplicates + conflicts sums] 150000→140000 Δ-10000',
      ],
    ],
    [
      'outcome totals over fewer rows than dedup counted',
      {
        deduplicated: deduplicated({
          totals: {
            unique: { rowCount: 6, sums: { EUR: '120000', USD: '2000' } },
            duplicates: { rowCount: 1, sums: { EUR: '10000' } },
            conflicts: { rowCount: 1, sums: { EUR: '20000' } },
          },
        }),
      },
      ['CONSERVATION f_a - [unique rows totalled = unique rows counted] 7→6 Δ-1'],
    ],
    [
      'validation counts that do not add up',
      { validated: validated({ counts: { rowsIn: 10, valid: 9, quarantined: 0 } }) },
      ['CONSERVATION f_a - [rowsIn = valid + quarantined] 10→9 Δ-1'],
    ],
    [
      'computed totals over fewer records than were read',
      {
        validated: validated({
          controlTotals: { declared: null, computed: { rowCount: 9, sums: { EUR: '160000', USD: '2000' } } },
        }),
      },
      ['ROWS_LOST_BETWEEN_STAGES f_a - [records totalled = records read] 10→9 Δ-1'],
    ],
    [
      'valid totals over fewer rows than were counted valid',
      { validated: validated({ validTotals: { rowCount: 8, sums: { EUR: '150000', USD: '2000' } } }) },
      ['ROWS_LOST_BETWEEN_STAGES f_a - [valid rows totalled = valid rows counted] 9→8 Δ-1'],
    ],
    [
      'more records read than lines landed',
      { landed: { ...balancedFile().landed, lineCount: 9 } },
      ['ROWS_LOST_BETWEEN_STAGES f_a - [records read ≤ lines landed] 9→10 Δ1'],
    ],
    [
      'a declared row count the file does not hold',
      {
        validated: validated({
          controlTotals: {
            declared: { rowCount: 12, sums: { EUR: '160000', USD: '2000' } },
            computed: { rowCount: 10, sums: { EUR: '160000', USD: '2000' } },
          },
        }),
      },
      ['DECLARED_VS_COMPUTED_ROWS f_a - [declared records = records read] 12→10 Δ-2'],
    ],
    [
      'a declared currency the file does not hold, and a sum that differs',
      {
        validated: validated({
          controlTotals: {
            declared: { rowCount: 10, sums: { EUR: '160001', GBP: '500', USD: '2000' } },
            computed: { rowCount: 10, sums: { EUR: '160000', USD: '2000' } },
          },
        }),
      },
      [
        'DECLARED_VS_COMPUTED_AMOUNT f_a EUR [declared sum = sum of records read] 160001→160000 Δ-1',
        'DECLARED_VS_COMPUTED_AMOUNT f_a GBP [declared sum = sum of records read] 500→0 Δ-500',
      ],
    ],
    [
      'a file still landed',
      { validated: null, deduplicated: null },
      ['FILE_NOT_TERMINAL f_a - [file is VALIDATED or REJECTED] VALIDATED or REJECTED→LANDED Δ-'],
    ],
    [
      'a validated file dedup has not finished',
      { deduplicated: null },
      ['FILE_NOT_TERMINAL f_a - [validated file is DEDUPLICATED] DEDUPLICATED→VALIDATED Δ-'],
    ],
    [
      'a rejected file',
      { validated: null, deduplicated: null, rejected: rejected() },
      ['FILE_REJECTED f_a - [every record read reaches valid or quarantined] 10→0 Δ-10'],
    ],
  ])('breaks on %s', (_name, change, expected) => {
    // Act
    const result = reconcileChecked([fileWith(change)]);

    // Assess
    expect(result.balanced).toBe(false);
    expect(result.breaks.map(brief)).toEqual(expected);
  });

  it.each<[string, Partial<FileFacts>, string[]]>([
    [
      'an amount break in major units with its currency',
      {
        deduplicated: deduplicated({
          sums: {
            unique: { EUR: '119999', USD: '2000' },
            duplicates: { EUR: '10000' },
            conflicts: { EUR: '20000' },
          },
        }),
      },
      ['f_a', '1500.00 EUR', '1499.99 EUR', 'difference -0.01 EUR', 'Rerun dedup'],
    ],
    [
      'a rejection with its code, reason and next step',
      { validated: null, deduplicated: null, rejected: rejected() },
      [
        'f_a',
        'TRAILER_MISMATCH',
        'declares 12 records',
        '10 records read are held back',
        're-land a corrected file',
      ],
    ],
  ])('explains %s to the operator', (_name, change, phrases) => {
    // Act
    const [only] = reconcileChecked([fileWith(change)]).breaks;

    // Assess
    for (const phrase of phrases) expect(only?.cause).toContain(phrase);
  });

  it('holds back a rejected file superseded by a newer delivery without a break', () => {
    // Prepare
    const old = fileWith({ validated: null, deduplicated: null, rejected: rejected() }, 'f_old');
    const superseded = { ...old, landed: { ...old.landed, supersededBy: 'f_new' } };

    // Act
    const result = reconcileChecked([superseded, balancedFile('f_new')]);

    // Assess
    expect(result.balanced).toBe(true);
    expect(result.totals.rows).toMatchObject({ heldBack: 10, read: 10, unique: 7 });
    expect(result.inputs.files.map((file) => [file.fileId, file.status, file.supersededBy])).toEqual([
      ['f_new', 'DEDUPLICATED', null],
      ['f_old', 'REJECTED', 'f_new'],
    ]);
  });

  it('reports a date with no file as a NO_FILES break, never as balanced', () => {
    // Act
    const result = reconcileChecked([]);

    // Assess
    expect(result.balanced).toBe(false);
    expect(result.breaks.map(brief)).toEqual([
      'NO_FILES - - [at least one file landed] at least 1 file→0 files Δ-',
    ]);
    expect(result.breaks[0]?.cause).toContain(`No transactions file of ${PARTNER} has landed for ${DATE}`);
  });

  it('sums several files per stage and per currency, declared figures only where declared', () => {
    // Prepare
    const undeclared = fileWith(
      {
        validated: validated({
          controlTotals: { declared: null, computed: { rowCount: 10, sums: { EUR: '160000', USD: '2000' } } },
        }),
      },
      'f_b',
    );

    // Act
    const result = reconcileChecked([balancedFile('f_a'), undeclared]);

    // Assess
    expect(result.balanced).toBe(true);
    expect(result.totals.rows).toMatchObject({
      files: { landed: 2, declared: 1, validated: 2, rejected: 0, deduplicated: 2 },
      declared: 10,
      read: 20,
      valid: 18,
      unique: 14,
    });
    expect(result.totals.amounts.EUR).toEqual({
      declared: '160000',
      read: '320000',
      valid: '300000',
      quarantined: '20000',
      unique: '240000',
      duplicates: '20000',
      conflicts: '40000',
    });
  });

  it('gives the same result whatever order the files come in', () => {
    // Prepare
    const files = [balancedFile('f_c'), fileWith({ deduplicated: null }, 'f_a'), balancedFile('f_b')];

    // Act
    const forward = reconcileChecked(files);
    const backward = reconcileChecked([...files].reverse());

    // Assess
    expect(backward).toEqual(forward);
    expect(forward.inputs.files.map((file) => file.fileId)).toEqual(['f_a', 'f_b', 'f_c']);
  });

  it('keeps money exact beyond 2^53 minor units', () => {
    // Prepare
    const big = '9007199254740993';
    const file = fileWith({
      validated: validated({
        counts: { rowsIn: 1, valid: 1, quarantined: 0 },
        controlTotals: { declared: null, computed: { rowCount: 1, sums: { USD: big } } },
        validTotals: { rowCount: 1, sums: { USD: big } },
      }),
      deduplicated: deduplicated({
        counts: { valid: 1, unique: 1, duplicates: 0, conflicts: 0 },
        sums: { unique: { USD: '9007199254740992' }, duplicates: {}, conflicts: {} },
      }),
    });

    // Act
    const result = reconcileChecked([file]);

    // Assess
    expect(result.breaks.map(brief)).toEqual([
      'VALID_VS_CURATED_AMOUNT f_a USD [valid sum = unique + duplicates + conflicts sums] 9007199254740993→9007199254740992 Δ-1',
    ]);
  });

  it.each<[string, FileFacts[], RegExp]>([
    ['the same file twice', [balancedFile(), balancedFile()], /f_a: the file is listed twice/],
    [
      "another partner's file",
      [{ ...balancedFile(), landed: { ...balancedFile().landed, partner: 'globex-pay' } }],
      /globex-pay\/transactions\/2026-11-20, not acme-bank/,
    ],
    [
      'a file both validated and rejected',
      [fileWith({ rejected: rejected() })],
      /both validated and rejected/,
    ],
    [
      'a dedup result without validation',
      [fileWith({ validated: null })],
      /dedup result but no validation result/,
    ],
  ])('refuses facts with %s as a wiring bug', (_name, files, message) => {
    // Act / Assess
    expect(() => reconcile(reconInput(files))).toThrow(ReconcileInputError);
    expect(() => reconcile(reconInput(files))).toThrow(message);
  });
});
