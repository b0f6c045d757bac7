import { describe, expect, it } from 'vitest';
import { quarantinePartKey, quarantinePrefix, silverPartKey, silverPrefix } from './part-keys.ts';

const run = {
  dataset: 'transactions',
  partner: 'acme-bank',
  businessDate: '2024-03-01',
  runId: 'run_ab12',
  fileId: 'f_0123',
  schemaV: 1,
} as const;

describe('object keys', () => {
  it('lays out silver and quarantine parts by dataset, source, date, run and file', () => {
    // Act / Assess
    expect(silverPartKey(silverPrefix(run), 0)).toBe(
      'silver/dataset=transactions/source=acme-bank/dt=2024-03-01/run_id=run_ab12/schema_v=1/file_id=f_0123/part-00000.parquet',
    );
    expect(quarantinePartKey(quarantinePrefix(run), 12)).toBe(
      'quarantine/dataset=transactions/source=acme-bank/dt=2024-03-01/run_id=run_ab12/file_id=f_0123/rows-00012.jsonl',
    );
  });

  it.each(['../x', 'a/b', '', '.hidden', 'x y'])('refuses the run id %j as a key segment', (runId) => {
    // Act / Assess
    expect(() => silverPrefix({ ...run, runId })).toThrow(/object key segment/);
  });
});
