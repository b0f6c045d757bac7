import { describe, expect, it } from 'vitest';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import { readyFactsOf } from './day-facts.ts';
import { matchingGate } from './gates.ts';
import type { MatchRun, ReconRun } from './ports.ts';

const SCOPE = { dataset: 'settlements', businessDate: '2026-11-20' } as const;

function file(fileId: string, change: Partial<FileRecord> = {}): FileRecord {
  return {
    fileId,
    partner: 'acme-bank',
    dataset: 'settlements',
    businessDate: SCOPE.businessDate,
    landedAt: '2026-11-20T20:00:00Z',
    runId: `run_${fileId}`,
    stage: 'VALIDATED',
    counts: { rowsIn: 10, valid: 9, quarantined: 1 },
    ...change,
  } as FileRecord;
}

function dedup(fileId: string, change: Partial<DedupRunRecord> = {}): DedupRunRecord {
  return {
    fileId,
    runId: `run_${fileId}`,
    partner: 'acme-bank',
    dataset: 'settlements',
    businessDate: SCOPE.businessDate,
    schemaV: 1,
    counts: { valid: 9, unique: 8, duplicates: 1, conflicts: 0 },
    totals: {
      unique: { rowCount: 8, sums: { EUR: '800' } },
      duplicates: { rowCount: 1, sums: { EUR: '100' } },
      conflicts: { rowCount: 0, sums: {} },
    },
    eventId: `ev_${fileId}`,
    committedAt: '2026-11-20T20:01:00Z',
    ...change,
  } as DedupRunRecord;
}

const recon = (id: string, fileIds: string[], committedAt: string): ReconRun => ({
  reconRunId: id,
  partner: 'acme-bank',
  balanced: true,
  breaks: 0,
  inputs: fileIds.map((fileId) => ({ fileId, dedupRunId: `run_${fileId}` })),
  committedAt,
});

describe('readyFactsOf', () => {
  const listing = { files: [file('f_1'), file('f_2')], dedupRuns: [dedup('f_1'), dedup('f_2')] };

  it('takes the reconciliation covering the current files, with the curated totals of the runs it names', () => {
    // Prepare: a later reconciliation over one file only would be stale.
    const recons = new Map([
      [
        'acme-bank',
        [
          recon('r_both', ['f_1', 'f_2'], '2026-11-20T20:02:00Z'),
          recon('r_one', ['f_1'], '2026-11-20T20:03:00Z'),
        ],
      ],
    ]);

    // Act
    const { facts, uniqueRuns } = readyFactsOf(SCOPE, listing, recons, new Map());

    // Assess
    expect(facts.reconciliations).toEqual([
      {
        partner: 'acme-bank',
        reconRunId: 'r_both',
        balanced: true,
        breakCount: 0,
        fileIds: ['f_1', 'f_2'],
        curated: { rows: 16, sums: { EUR: '1600' } },
      },
    ]);
    expect(facts.quarantine).toEqual([{ partner: 'acme-bank', rowsIn: 20, quarantined: 2 }]);
    expect(facts.conflicts).toEqual([{ partner: 'acme-bank', open: 0 }]);
    expect(uniqueRuns.map((run) => run.fileId)).toEqual(['f_1', 'f_2']);
  });

  it('gives the same run id for the same facts and a new one for a new fact', () => {
    // Act
    const once = readyFactsOf(SCOPE, listing, new Map(), new Map()).runId;
    const again = readyFactsOf(
      SCOPE,
      { ...listing, files: [...listing.files].reverse() },
      new Map(),
      new Map(),
    ).runId;
    const later = readyFactsOf(
      SCOPE,
      { ...listing, files: [...listing.files, file('f_3', { stage: 'REJECTED' })] },
      new Map(),
      new Map(),
    ).runId;

    // Assess
    expect(once).toMatch(/^ready_[0-9a-f]{24}$/);
    expect(again).toBe(once);
    expect(later).not.toBe(once);
  });

  describe('the match run of a transactions day', () => {
    const TX = { dataset: 'transactions', businessDate: SCOPE.businessDate } as const;
    const transactions = file('f_tx', { dataset: 'transactions' });
    const settlements = file('f_st');
    const counts = (matched: number) => ({
      matchedTransactions: matched,
      mismatchedTransactions: 0,
      agedTransactions: 0,
    });
    const run = (id: string, fileIds: string[], committedAt: string, matched: number): MatchRun =>
      ({
        matchRunId: id,
        partner: 'acme-bank',
        counts: counts(matched),
        inputs: fileIds.map((fileId) => ({ fileId, runId: `run_${fileId}` })),
        committedAt,
      }) as unknown as MatchRun;
    const day = { files: [transactions], dedupRuns: [dedup('f_tx', { dataset: 'transactions' })] };

    it('takes the run that read both files over a later one that raced it and missed the settlements', () => {
      // Prepare
      const runs = new Map([
        [
          'acme-bank',
          [
            run('mr_both', ['f_tx', 'f_st'], '2026-11-20T20:02:00Z', 9),
            run('mr_tx', ['f_tx'], '2026-11-20T20:03:00Z', 0),
          ],
        ],
      ]);

      // Act
      const { facts } = readyFactsOf(TX, day, new Map(), runs, [settlements]);

      // Assess
      expect(facts.matches).toEqual([{ partner: 'acme-bank', runId: 'mr_both', matched: 9, eligible: 9 }]);
    });

    it('takes, of two runs that read both files, the one that also read a late file of an earlier day, even if it committed first', () => {
      // Prepare: the run without the late file was delayed (a crash, a redrive) and committed last.
      const runs = new Map([
        [
          'acme-bank',
          [
            run('mr_with_late_file', ['f_tx', 'f_st', 'f_late_19th'], '2026-11-20T20:04:00Z', 10),
            run('mr_before_late_file', ['f_tx', 'f_st'], '2026-11-20T20:09:00Z', 9),
          ],
        ],
      ]);

      // Act
      const { facts } = readyFactsOf(TX, day, new Map(), runs, [settlements]);

      // Assess
      expect(facts.matches.map((fact) => fact.runId)).toEqual(['mr_with_late_file']);
    });

    it('fails the matching gate while no run has read every current file', () => {
      // Prepare
      const runs = new Map([['acme-bank', [run('mr_tx', ['f_tx'], '2026-11-20T20:03:00Z', 0)]]]);

      // Act
      const { facts } = readyFactsOf(TX, day, new Map(), runs, [settlements]);
      const gate = matchingGate('acme-bank', facts.matches[0], 9500);

      // Assess
      expect(facts.matches[0]?.notCovered).toEqual(['f_st']);
      expect(gate).toMatchObject({ name: 'matching-rate:acme-bank', passed: false });
      expect(gate.detail).toContain('did not read f_st');
    });

    it('counts a file at a new run (a rerun) as not read by runs over its earlier run', () => {
      // Prepare
      const rerun = file('f_st', { runId: 'run_rerun' });
      const runs = new Map([['acme-bank', [run('mr_both', ['f_tx', 'f_st'], '2026-11-20T20:02:00Z', 9)]]]);

      // Act
      const { facts } = readyFactsOf(TX, day, new Map(), runs, [rerun]);

      // Assess
      expect(facts.matches[0]?.notCovered).toEqual(['f_st']);
    });
  });
});

describe('readyFactsOf pending facts', () => {
  const covering = new Map([['acme-bank', [recon('r_both', ['f_1', 'f_2'], '2026-11-20T20:02:00Z')]]]);

  it.each<[string, { files: FileRecord[]; dedupRuns: DedupRunRecord[] }, Map<string, ReconRun[]>, string[]]>([
    [
      'waits for a file not yet validated',
      { files: [file('f_1'), file('f_2', { stage: 'LANDED' })], dedupRuns: [dedup('f_1')] },
      covering,
      ['f_2 is not validated yet'],
    ],
    [
      'waits for a validated file not yet deduplicated',
      { files: [file('f_1'), file('f_2')], dedupRuns: [dedup('f_1')] },
      covering,
      ['f_2 is not deduplicated yet'],
    ],
    [
      'waits for a reconciliation over the current files',
      { files: [file('f_1'), file('f_2')], dedupRuns: [dedup('f_1'), dedup('f_2')] },
      new Map([['acme-bank', [recon('r_one', ['f_1'], '2026-11-20T20:03:00Z')]]]),
      ['the reconciliation of acme-bank'],
    ],
    [
      'has settled once every file is deduplicated and reconciled',
      { files: [file('f_1'), file('f_2')], dedupRuns: [dedup('f_1'), dedup('f_2')] },
      covering,
      [],
    ],
    [
      'has settled with a rejected file the reconciliation covers',
      { files: [file('f_1'), file('f_2', { stage: 'REJECTED' })], dedupRuns: [dedup('f_1')] },
      new Map([
        [
          'acme-bank',
          [
            {
              ...recon('r_rej', ['f_1'], '2026-11-20T20:02:00Z'),
              inputs: [
                { fileId: 'f_1', dedupRunId: 'run_f_1' },
                { fileId: 'f_2', dedupRunId: null },
              ],
            },
          ],
        ],
      ]),
      [],
    ],
  ])('%s', (_name, listing, recons, pending) => {
    // Act
    const day = readyFactsOf(SCOPE, listing, recons, new Map());

    // Assess
    expect(day.pending).toEqual(pending);
  });

  it('waits for a settlement match over the current transactions files', () => {
    // Prepare
    const scope = { dataset: 'transactions', businessDate: SCOPE.businessDate } as const;
    const tx = (fileId: string) => file(fileId, { dataset: 'transactions' });
    const listing = { files: [tx('f_1')], dedupRuns: [dedup('f_1', { dataset: 'transactions' })] };
    const recons = new Map([['acme-bank', [recon('r_1', ['f_1'], '2026-11-20T20:02:00Z')]]]);

    // Act
    const day = readyFactsOf(scope, listing, recons, new Map());

    // Assess
    expect(day.pending).toEqual(['the settlement match of acme-bank']);
  });
});
