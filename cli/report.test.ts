import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../lib/file-registry/file-record.ts';
import { fileRecordFixture } from '../lib/file-registry/test-support/file-record.ts';
import type { ExceptionRow } from './exceptions.ts';
import { buildReport, formatReport } from './report.ts';

function file(fileId: string, stage: FileRecord['stage'], counts?: FileRecord['counts']): FileRecord {
  return fileRecordFixture(fileId, { stage, ...(counts ? { counts } : {}) });
}

describe('buildReport', () => {
  it('adds up rows across files and counts rows held in rejected files', () => {
    // Prepare
    const files = [
      file('a', 'VALIDATED', { rowsIn: 10, valid: 8, quarantined: 2 }),
      file('b', 'REJECTED', { rowsIn: 5, valid: 4, quarantined: 1 }),
      file('c', 'LANDED'),
    ];

    // Act
    const report = buildReport(files);

    // Assess
    expect(report.totals).toEqual({
      files: 3,
      validated: 1,
      rejected: 1,
      open: 1,
      rowsIn: 15,
      valid: 12,
      quarantined: 3,
      heldInRejectedFiles: 5,
    });
    expect(report.files.map((row) => row.conserved)).toEqual([true, true, null]);
  });

  it('flags a file whose rows do not add up', () => {
    const report = buildReport([file('a', 'VALIDATED', { rowsIn: 10, valid: 8, quarantined: 1 })]);

    expect(report.files[0]?.conserved).toBe(false);
    expect(formatReport(report)).toContain('DOES NOT ADD UP');
  });

  it('lists each scope balanced or with its breaks', () => {
    const recon = {
      partner: 'acme-bank',
      dataset: 'transactions' as const,
      businessDate: '2026-11-20',
      reconRunId: 'recon_1',
      balanced: false,
      totals: { rows: {} as never, amounts: {} },
      breaks: [
        {
          kind: 'VALID_VS_CURATED_AMOUNT' as const,
          fileId: 'a',
          currency: 'USD',
          check: 'c',
          expected: '100',
          actual: '60',
          differenceRows: null,
          differenceMinor: '-40',
          cause: 'Rerun dedup.',
        },
      ],
      inputs: { files: [] },
    };

    const report = buildReport([], [], [recon]);

    expect(report.dataQuality).toEqual([
      expect.objectContaining({
        partner: 'acme-bank',
        balanced: false,
        breaks: [expect.objectContaining({ currency: 'USD' })],
      }),
    ]);
    expect(formatReport(report)).toContain(
      'VALID_VS_CURATED_AMOUNT USD: expected 100, actual 60 — Rerun dedup.',
    );
  });
});

describe('readiness in the data-quality section', () => {
  const gate = (name: string, detail: string) => ({ name, detail, observed: null, threshold: null });

  it('shows the latest verdict per dataset and business date, with each failed gate of a block and each late file accepted', () => {
    // Prepare
    const verdicts = [
      {
        kind: 'BLOCKED' as const,
        data: {
          dataset: 'transactions' as const,
          businessDate: '2026-11-20',
          runId: 'ready_b',
          failedGates: [gate('file-on-time:initech-acq', 'No file from initech-acq yet.')],
          passedGates: [],
        },
      },
      {
        kind: 'READY' as const,
        data: {
          dataset: 'settlements' as const,
          businessDate: '2026-11-20',
          schemaV: 1,
          runId: 'ready_a',
          gold: { bucket: 'gold', prefix: 'gold/p/', parts: ['gold/p/part-00000.parquet'] },
          marker: { bucket: 'gold', key: 'gold/p/_READY.json' },
          contentHash: 'c'.repeat(64),
          rowCount: 12,
          sums: {},
          gates: [
            gate('partners-in-scope', 'ok'),
            {
              name: 'file-on-time:initech-acq',
              detail: 'landed 8.0 h after the cut-off; late files are accepted for initech-acq.',
              observed: '2026-11-21T09:00:00.000Z',
              threshold: '2026-11-21T01:00:00.000Z',
            },
            {
              name: 'file-on-time:acme-bank',
              detail: 'landed before the cut-off.',
              observed: '2026-11-21T04:00:00.000Z',
              threshold: '2026-11-21T07:00:00.000Z',
            },
          ],
        },
      },
    ];

    // Act
    const report = buildReport([], [], [], verdicts);
    const text = formatReport(report);

    // Assess
    expect(report.readiness).toEqual([
      {
        dataset: 'settlements',
        businessDate: '2026-11-20',
        verdict: 'READY',
        runId: 'ready_a',
        contentHash: 'c'.repeat(64),
        rows: 12,
        notes: [
          {
            name: 'file-on-time:initech-acq',
            detail: 'landed 8.0 h after the cut-off; late files are accepted for initech-acq.',
          },
        ],
      },
      {
        dataset: 'transactions',
        businessDate: '2026-11-20',
        verdict: 'BLOCKED',
        runId: 'ready_b',
        failedGates: [{ name: 'file-on-time:initech-acq', detail: 'No file from initech-acq yet.' }],
      },
    ]);
    expect(text).toContain('settlements  2026-11-20 READY   run ready_a, 12 rows');
    expect(text).toContain('  file-on-time:initech-acq: No file from initech-acq yet.');
    expect(text).toContain('  note file-on-time:initech-acq: landed 8.0 h after the cut-off');
  });
});

describe('exceptions in the data-quality section', () => {
  it('counts exceptions per scope and kind and shows the first few of each', () => {
    // Prepare
    const row = (kind: ExceptionRow['kind'], line: number): ExceptionRow => ({
      kind,
      dataset: 'transactions',
      businessDate: '2026-11-20',
      partner: 'acme-bank',
      id: `tx_${line}`,
      fileId: 'f_a',
      line,
      detail: 'why',
    });
    const exceptions = [
      ...Array.from({ length: 7 }, (_, index) => row('UNMATCHED', index + 2)),
      row('CONFLICT', 40),
    ];

    // Act
    const text = formatReport(buildReport([], [], [], [], { exceptions }));

    // Assess
    expect(text).toContain('transactions 2026-11-20 acme-bank    1 conflict, 7 unmatched');
    expect(text).toContain('  UNMATCHED tx_6 f_a line 6: why');
    expect(text).not.toContain('tx_7 ');
    expect(text).toContain('  … 2 more UNMATCHED');
  });

  it('formats the exceptions of a large file in linear time (140,000 unmatched rows took minutes when grouping copied arrays)', () => {
    // Prepare
    const exceptions: ExceptionRow[] = Array.from({ length: 200_000 }, (_, index) => ({
      kind: 'UNMATCHED',
      dataset: 'transactions',
      businessDate: '2026-11-20',
      partner: 'acme-bank',
      id: `tx_${index}`,
      fileId: 'f_a',
      line: index + 2,
      detail: 'why',
    }));
    const started = performance.now();

    // Act
    const text = formatReport(buildReport([], [], [], [], { exceptions }));

    // Assess
    expect(text).toContain('transactions 2026-11-20 acme-bank    200000 unmatched');
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
