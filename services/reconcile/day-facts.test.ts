import { describe, expect, it } from 'vitest';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import { fileRecordFixture } from '../../lib/file-registry/test-support/file-record.ts';
import { reconcileInputOf } from './day-facts.ts';
import { ReconcileInputError } from './errors.ts';
import { reconcile } from './reconcile.ts';

const scope = { partner: 'acme-bank', dataset: 'transactions', businessDate: '2026-11-20' } as const;
const totals = { rowCount: 2, sums: { EUR: '300' } };

function file(fileId: string, change: Partial<FileRecord> = {}): FileRecord {
  return fileRecordFixture(fileId, {
    ...scope,
    day: scope.businessDate,
    sizeBytes: 10,
    lineCount: 3,
    stage: 'VALIDATED',
    counts: { rowsIn: 2, valid: 2, quarantined: 0 },
    controlTotals: { declared: null, computed: totals },
    validTotals: totals,
    ...change,
  });
}

function dedup(fileId: string, runId = 'run_1', eventId = 'ev_1'): DedupRunRecord {
  return {
    pk: `FILE#${fileId}`,
    sk: `DEDUP#${runId}`,
    day: scope.businessDate,
    daySort: `transactions#acme-bank#${fileId}#DEDUP#${runId}`,
    fileId,
    runId,
    ...scope,
    schemaV: 1,
    sha256: '0'.repeat(64),
    counts: { valid: 2, unique: 2, duplicates: 0, conflicts: 0 },
    totals: {
      unique: totals,
      duplicates: { rowCount: 0, sums: {} },
      conflicts: { rowCount: 0, sums: {} },
    },
    unique: { bucket: 'silver', prefix: 'p/', parts: ['p/0.parquet'] },
    eventId,
    committedAt: '2026-11-20T10:01:00Z',
  };
}

describe('reconcileInputOf', () => {
  it('balances a validated, deduplicated file and ignores a dedup run of an older validation run', () => {
    // Act
    const input = reconcileInputOf(scope, {
      files: [file('f_a')],
      dedupRuns: [dedup('f_a', 'run_0'), dedup('f_a')],
    });

    // Assess
    expect(input.files[0]?.deduplicated?.runId).toBe('run_1');
    expect(reconcile(input)).toMatchObject({ balanced: true, breaks: [] });
  });

  it('derives the same reconRunId from the same facts, and another from a new dedup commit', () => {
    const listing = { files: [file('f_b'), file('f_a')], dedupRuns: [dedup('f_a')] };

    const first = reconcileInputOf(scope, listing).reconRunId;
    const again = reconcileInputOf(scope, { files: [...listing.files].reverse(), dedupRuns: [dedup('f_a')] });
    const recommitted = reconcileInputOf(scope, { ...listing, dedupRuns: [dedup('f_a', 'run_1', 'ev_2')] });

    expect(again.reconRunId).toBe(first);
    expect(recommitted.reconRunId).not.toBe(first);
    expect(reconcile(again).breaks.map((item) => [item.fileId, item.kind])).toEqual([
      ['f_b', 'FILE_NOT_TERMINAL'],
    ]);
  });

  it('marks a file replaced under the same landing key as superseded', () => {
    const input = reconcileInputOf(scope, {
      files: [
        file('f_old', { stage: 'REJECTED', rejection: { code: 'HEADER_ONLY', reason: 'r.' } }),
        file('f_new', { supersedesFileId: 'f_old' }),
      ],
      dedupRuns: [dedup('f_new')],
    });

    expect(input.files.find((facts) => facts.landed.fileId === 'f_old')?.landed.supersededBy).toBe('f_new');
    expect(reconcile(input).balanced).toBe(true);
  });

  it('refuses a validated record without control totals', () => {
    const { controlTotals: _, ...old } = file('f_a');

    expect(() => reconcileInputOf(scope, { files: [old], dedupRuns: [] })).toThrow(ReconcileInputError);
  });
});
