import { describe, expect, it } from 'vitest';
import { WindowTooLargeError } from './errors.ts';
import { prepareMatchRun } from './match-run.ts';
import type { DedupRunRef, SettlementMatchPorts } from './ports.ts';

const run = (fileId: string, dataset: DedupRunRef['dataset'], uniqueRows: number): DedupRunRef => ({
  fileId,
  partner: 'acme-bank',
  dataset,
  businessDate: '2026-11-19',
  schemaV: 1,
  runId: `run_${fileId}`,
  unique: { bucket: 'silver', prefix: `p/${fileId}/`, parts: [`p/${fileId}/part-00000.parquet`] },
  uniqueRows,
  committedAt: '2026-11-19T20:00:00Z',
});

describe('prepareMatchRun', () => {
  it('refuses a window over the row limit before reading a row, naming the limit and what to do', async () => {
    // Prepare: 700 transactions and 400 settlements against a limit of 1000 rows.
    const reads: string[] = [];
    const ports: SettlementMatchPorts = {
      dedupRuns: async (date) => (date === '2026-11-19' ? [run('f_st', 'settlements', 400)] : []),
      filesAwaitingDedup: async () => [],
      objects: {
        getObject: async (ref) => {
          reads.push(ref.key);
          return new Uint8Array();
        },
        putObject: async () => {},
      },
    };
    const trigger = { partner: 'acme-bank', asOf: '2026-11-19', run: run('f_tx', 'transactions', 700) };

    // Act
    const attempt = prepareMatchRun(trigger, ports, { maxWindowRows: 1000 });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(WindowTooLargeError);
    await expect(attempt).rejects.toThrow(
      /holds 1100 rows .* more than the 1000 .* redrive the settlement-match DLQ/,
    );
    expect(reads).toEqual([]);
  });
});
