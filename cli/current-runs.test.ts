import { describe, expect, it } from 'vitest';
import { chooseMatchRuns, chooseReconciliations, type FileKeys } from './current-runs.ts';

const file = (fileId: string, overrides: Partial<FileKeys> = {}): FileKeys => ({
  fileId,
  partner: 'acme-bank',
  dataset: 'transactions',
  businessDate: '2026-11-20',
  stage: 'VALIDATED',
  runId: `run-${fileId}`,
  ...overrides,
});

const matchRun = (id: string, businessDate: string, inputs: readonly FileKeys[]) => ({
  id,
  partner: 'acme-bank',
  businessDate,
  window: { from: '2026-11-13', to: businessDate },
  inputs: inputs.map((input) => ({ fileId: input.fileId, runId: input.runId })),
});

describe('chooseMatchRuns: the snapshot that read the current facts, whatever order runs finished in', () => {
  const transactions = file('f_tx');
  const settlements = file('f_st', { dataset: 'settlements' });
  const both = matchRun('both', '2026-11-20', [transactions, settlements]);
  const withoutSettlements = matchRun('without-settlements', '2026-11-20', [transactions]);

  it('keeps the run that read the settlements file when one that missed it is archived after it', () => {
    // Arrange: the earlier snapshot was delayed (a crash, a redrive) and published last.
    const [chosen] = chooseMatchRuns(
      [both, withoutSettlements],
      [transactions, settlements],
      new Set(['f_tx', 'f_st']),
    );

    // Assess
    expect(chosen).toEqual({ run: both, current: true, missed: [] });
  });

  it('prefers, among runs that read every file of the window, the one that read more (later facts)', () => {
    const lateEarlierDay = file('f_late', { businessDate: '2026-11-19' });
    const before = matchRun('before-late-file', '2026-11-20', [transactions, settlements]);
    const after = matchRun('after-late-file', '2026-11-20', [transactions, settlements, lateEarlierDay]);
    // The late file is not deduplicated yet when `before` is judged here, so both cover the window's
    // deduplicated files; the order of the archive must still not decide.
    const [chosen] = chooseMatchRuns(
      [after, before],
      [transactions, settlements, lateEarlierDay],
      new Set(['f_tx', 'f_st']),
    );

    expect(chosen?.run.id).toBe('after-late-file');
  });

  it('shows a run of the latest date and says what it missed when no run read the current files', () => {
    const [chosen] = chooseMatchRuns(
      [matchRun('older-date', '2026-11-19', [transactions]), withoutSettlements],
      [transactions, settlements],
      new Set(['f_tx', 'f_st']),
    );

    expect(chosen).toEqual({ run: withoutSettlements, current: false, missed: ['f_st'] });
  });

  it('does not count a file that is not deduplicated yet, nor one of another partner or outside the window', () => {
    const [chosen] = chooseMatchRuns(
      [withoutSettlements],
      [
        transactions,
        settlements,
        file('f_other', { partner: 'globex-pay' }),
        file('f_old', { businessDate: '2026-11-01' }),
      ],
      new Set(['f_tx', 'f_other', 'f_old']),
    );

    expect(chosen?.current).toBe(true);
  });

  it('does not take a run over a file’s earlier validation run for current', () => {
    const rerun = { ...transactions, runId: 'run-after-rerun' };
    const [chosen] = chooseMatchRuns([both], [rerun, settlements], new Set(['f_tx', 'f_st']));

    expect(chosen).toMatchObject({ current: false, missed: ['f_tx'] });
  });
});

describe('chooseReconciliations: the reconciliation over exactly the current files', () => {
  const a = file('f_a');
  const b = file('f_b');
  const recon = (id: string, inputs: readonly { fileId: string; dedupRunId: string | null }[]) => ({
    id,
    dataset: 'transactions' as const,
    businessDate: '2026-11-20',
    partner: 'acme-bank',
    inputs: { files: inputs },
  });
  const overBoth = recon('both', [
    { fileId: 'f_a', dedupRunId: a.runId },
    { fileId: 'f_b', dedupRunId: b.runId },
  ]);
  const overA = recon('a-only', [{ fileId: 'f_a', dedupRunId: a.runId }]);

  it('keeps the reconciliation of both files when one of the first file alone is archived after it', () => {
    const [chosen] = chooseReconciliations([overBoth, overA], [a, b]);

    expect(chosen).toEqual({ run: overBoth, current: true, missed: [] });
  });

  it('says which files the latest one missed when none read them all', () => {
    const [chosen] = chooseReconciliations([overA], [a, b]);

    expect(chosen).toEqual({ run: overA, current: false, missed: ['f_b'] });
  });

  it('counts a rejected file as read without a run, as reconcile records it', () => {
    const rejected = file('f_b', { stage: 'REJECTED' });
    const withRejected = recon('with-rejected', [
      { fileId: 'f_a', dedupRunId: a.runId },
      { fileId: 'f_b', dedupRunId: null },
    ]);

    expect(chooseReconciliations([withRejected], [a, rejected])[0]?.current).toBe(true);
  });
});
