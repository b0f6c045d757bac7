import { describe, expect, it } from 'vitest';
import { latestRunPerFile, matchRunIdOf, windowDates } from './match-inputs.ts';
import type { DedupRunRef } from './ports.ts';

const run = (
  fileId: string,
  runId: string,
  committedAt: string,
  dataset: DedupRunRef['dataset'] = 'transactions',
) =>
  ({
    fileId,
    partner: 'acme-bank',
    dataset,
    businessDate: '2026-11-19',
    schemaV: 1,
    runId,
    unique: { bucket: 'silver', prefix: 'p/', parts: ['p/part-00000.parquet'] },
    uniqueRows: 10,
    committedAt,
  }) satisfies DedupRunRef;

describe('match inputs', () => {
  it('lists every date of the window', () => {
    expect(windowDates({ from: '2026-02-27', to: '2026-03-01' })).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
  });

  it('reads each file from its latest dedup run, in (dataset, businessDate, fileId) order', () => {
    // Act
    const inputs = latestRunPerFile([
      run('f_b', 'r1', '2026-11-19T10:00:00Z', 'settlements'),
      run('f_a', 'r1', '2026-11-19T10:00:00Z'),
      run('f_a', 'r2', '2026-11-19T11:00:00Z'),
      run('f_a', 'r1', '2026-11-19T10:00:00Z'),
    ]);

    // Assess
    expect(inputs.map((input) => `${input.fileId}:${input.runId}`)).toEqual(['f_b:r1', 'f_a:r2']);
  });

  it('derives the same run id from the same inputs in any order, another from other inputs', () => {
    const a = run('f_a', 'r1', 't');
    const b = run('f_b', 'r1', 't');
    expect(matchRunIdOf([a, b])).toBe(matchRunIdOf([b, a]));
    expect(matchRunIdOf([a, b])).not.toBe(matchRunIdOf([a]));
    expect(matchRunIdOf([a])).toMatch(/^mr_[0-9a-f]{24}$/);
  });
});
