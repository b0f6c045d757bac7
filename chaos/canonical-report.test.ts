import { describe, expect, it } from 'vitest';
import type { RerunReport } from '../cli/commands/rerun.ts';
import type { FileReportRow, PipelineReport } from '../cli/report.ts';
import {
  type CanonicalInput,
  canonicalReport,
  diffCanonical,
  formatDifference,
  stableText,
} from './canonical-report.ts';
import type { StateFacts } from './state-facts.ts';

const LANDING =
  'finledger-local-landing/inbound/acme-bank/transactions/2026-11-19/acme-bank-transactions-20261119.csv';

function fileRow(overrides: Partial<FileReportRow> = {}): FileReportRow {
  return {
    fileId: 'f_44f585374d8932b7cbb9a895',
    partner: 'acme-bank',
    dataset: 'transactions',
    businessDate: '2026-11-19',
    fileName: 'acme-bank-transactions-20261119.csv',
    stage: 'VALIDATED',
    rowsIn: 400,
    valid: 400,
    quarantined: 0,
    conserved: true,
    rejection: null,
    redeliveries: 1,
    redrives: 0,
    supersedes: null,
    cardDataDetected: false,
    dedup: { unique: 395, duplicates: 5, conflicts: 0 },
    ...overrides,
  };
}

/** A report as `finledger run --json` prints it, with one of everything. */
function report(runTag: string, files: FileReportRow[] = [fileRow()]): PipelineReport {
  return {
    attention: [],
    files,
    totals: {
      files: files.length,
      validated: files.length,
      rejected: 0,
      open: 0,
      rowsIn: 400,
      valid: 400,
      quarantined: 0,
      heldInRejectedFiles: 0,
    },
    unregistered: [],
    dataQuality: [
      {
        dataset: 'transactions',
        businessDate: '2026-11-19',
        partner: 'acme-bank',
        reconRunId: `recon_${runTag.repeat(24)}`,
        balanced: true,
        breaks: [],
      },
    ],
    readiness: [
      {
        dataset: 'transactions',
        businessDate: '2026-11-19',
        verdict: 'READY',
        runId: `ready_${runTag.repeat(24)}`,
        contentHash: 'c0ffee',
        rows: 395,
        notes: [],
      },
      {
        dataset: 'settlements',
        businessDate: '2026-11-19',
        verdict: 'BLOCKED',
        runId: `ready_${runTag.repeat(24)}`,
        failedGates: [
          {
            name: 'reconciliation:acme-bank',
            detail: `Reconciliation recon_${runTag.repeat(24)} of acme-bank has 6 break(s)`,
          },
          { name: 'quarantine-rate:acme-bank', detail: '1 of 5 rows quarantined' },
        ],
      },
    ],
    matching: [
      {
        partner: 'acme-bank',
        asOf: '2026-11-19',
        window: { from: '2026-11-12', to: '2026-11-19' },
        matchRunId: `mr_${runTag.repeat(24)}`,
        counts: {
          transactions: 400,
          matched: 398,
          partiallySettled: 0,
          unmatched: 2,
          aged: 0,
          mismatched: 0,
          settlements: 398,
          orphanSettlements: 0,
        },
      },
    ],
    exceptions: [
      {
        kind: 'UNMATCHED',
        dataset: 'transactions',
        businessDate: '2026-11-19',
        partner: 'acme-bank',
        id: 'tx_1',
        fileId: 'f_44f585374d8932b7cbb9a895',
        line: 12,
        detail: 'no settlement',
      },
      {
        kind: 'DUPLICATE',
        dataset: 'transactions',
        businessDate: '2026-11-19',
        partner: 'acme-bank',
        id: 'tx_2',
        fileId: 'f_44f585374d8932b7cbb9a895',
        line: 40,
        detail: 'exact copy of line 39 of this file; dropped',
      },
    ],
  };
}

/** Two uploads of the file, both counted by file-landing (the file's one re-delivery). */
function facts(overrides: Partial<StateFacts> = {}): CanonicalInput['facts'] {
  return {
    queues: [
      { name: 'finledger-local-dedup', service: 'dedup', kind: 'queue', ready: 0, delayed: 0, inFlight: 0 },
      { name: 'finledger-local-dedup-dlq', service: 'dedup', kind: 'dlq', ready: 0, delayed: 0, inFlight: 0 },
    ],
    notifiedUploads: [
      { object: LANDING, version: '0001' },
      { object: LANDING, version: '0002' },
    ],
    countedUploads: [
      { object: LANDING, version: '0001', fileId: 'f_44f585374d8932b7cbb9a895' },
      { object: LANDING, version: '0002', fileId: 'f_44f585374d8932b7cbb9a895' },
    ],
    ...overrides,
  };
}

const FILE_KEY = 'acme-bank/transactions/2026-11-19/acme-bank-transactions-20261119.csv';

describe('canonicalReport', () => {
  it('drops run ids, match run ids and the volatile ids inside gate details', () => {
    // Act
    const first = canonicalReport({ report: report('a'), facts: facts() });
    const second = canonicalReport({ report: report('b'), facts: facts() });

    // Assess
    expect(diffCanonical(first, second)).toEqual([]);
    expect(JSON.stringify(first)).not.toMatch(/(recon|ready|mr)_a{24}/);
    expect(first.verdicts['settlements/2026-11-19']).toEqual({
      verdict: 'BLOCKED',
      failingGates: [
        'quarantine-rate:acme-bank: 1 of 5 rows quarantined',
        'reconciliation:acme-bank: Reconciliation recon_… of acme-bank has 6 break(s)',
      ],
    });
    expect(first.verdicts['transactions/2026-11-19']).toMatchObject({ goldContentHash: 'c0ffee' });
  });

  it('checks re-deliveries against the uploads counted, not the raw count a resume inflates', () => {
    // Prepare: a resume uploaded the file a third time, and file-landing counted it.
    const resumed = facts({
      notifiedUploads: [...facts().notifiedUploads, { object: LANDING, version: '0003' }],
      countedUploads: [
        ...facts().countedUploads,
        { object: LANDING, version: '0003', fileId: 'f_44f585374d8932b7cbb9a895' },
      ],
    });

    // Act
    const baseline = canonicalReport({ report: report('a'), facts: facts() });
    const after = canonicalReport({
      report: report('b', [fileRow({ redeliveries: 2, redrives: 3 })]),
      facts: resumed,
    });

    // Assess
    expect(diffCanonical(baseline, after)).toEqual([]);
    expect(after.files[FILE_KEY]?.redeliveryCounterDrift).toBe(0);
  });

  it('reports an upload no one counted and a counter that drifted', () => {
    // Prepare
    const lost = facts({
      notifiedUploads: [...facts().notifiedUploads, { object: LANDING, version: '0003' }],
    });

    // Act
    const differences = diffCanonical(
      canonicalReport({ report: report('a'), facts: facts() }),
      canonicalReport({ report: report('a', [fileRow({ redeliveries: 2 })]), facts: lost }),
    ).map(formatDifference);

    // Assess
    expect(differences).toEqual([
      `files[${FILE_KEY}].redeliveryCounterDrift: 0 ≠ 1`,
      `uncountedUploads[${LANDING}]: (absent) ≠ 1`,
    ]);
  });

  it('does not depend on the order of files, exceptions and gates', () => {
    // Prepare
    const other = fileRow({ fileId: 'f_2', partner: 'globex-pay', fileName: 'g.csv', dedup: null });
    const shuffled = report('b', [other, fileRow()]);
    shuffled.exceptions.reverse();
    shuffled.readiness.reverse();
    const blocked = shuffled.readiness.find((row) => row.verdict === 'BLOCKED');
    if (blocked?.verdict === 'BLOCKED') blocked.failedGates.reverse();

    // Act
    const a = canonicalReport({ report: report('a', [fileRow(), other]), facts: facts() });
    const b = canonicalReport({
      report: shuffled,
      facts: { ...facts(), queues: [...facts().queues].reverse() },
    });

    // Assess
    expect(diffCanonical(a, b)).toEqual([]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it.each([
    [
      'a count',
      (r: PipelineReport) => {
        (r.files[0] as FileReportRow).valid = 380;
      },
      `files[${FILE_KEY}].counts.valid: 400 ≠ 380`,
    ],
    [
      'a gold hash',
      (r: PipelineReport) => {
        const ready = r.readiness[0];
        if (ready?.verdict === 'READY') ready.contentHash = 'bad';
      },
      'verdicts[transactions/2026-11-19].goldContentHash: "c0ffee" ≠ "bad"',
    ],
    [
      'an exception',
      (r: PipelineReport) => {
        r.exceptions.pop();
      },
      'exceptions[transactions/2026-11-19/acme-bank]: "DUPLICATE tx_2 f_44f585374d8932b7cbb9a895 line 40: exact copy of line 39 of this file; dropped" ≠ (absent)',
    ],
    [
      'a matching figure',
      (r: PipelineReport) => {
        (r.matching[0] as PipelineReport['matching'][number]).counts.unmatched = 3;
      },
      'matching[acme-bank].counts.unmatched: 2 ≠ 3',
    ],
  ])('finds a real difference in %s', (_what, change, expected) => {
    // Prepare
    const resumed = report('b');
    change(resumed);

    // Act
    const differences = diffCanonical(
      canonicalReport({ report: report('a'), facts: facts() }),
      canonicalReport({ report: resumed, facts: facts() }),
    ).map(formatDifference);

    // Assess
    expect(differences).toEqual([expected]);
  });

  it('counts DLQ messages per queue', () => {
    // Prepare
    const parked = facts({
      queues: [
        { name: 'finledger-local-dedup', service: 'dedup', kind: 'queue', ready: 0, delayed: 0, inFlight: 0 },
        {
          name: 'finledger-local-dedup-dlq',
          service: 'dedup',
          kind: 'dlq',
          ready: 2,
          delayed: 0,
          inFlight: 1,
        },
      ],
    });

    // Act
    const differences = diffCanonical(
      canonicalReport({ report: report('a'), facts: facts() }),
      canonicalReport({ report: report('a'), facts: parked }),
    ).map(formatDifference);

    // Assess
    expect(differences).toEqual(['queues[finledger-local-dedup-dlq]: 0 ≠ 3']);
  });

  it('compares a rerun by its verdicts and progress, not by how its passes split the files', () => {
    // Prepare
    const rerun = (runId: string, reopened: number): RerunReport =>
      ({
        summary: {
          runId,
          resumed: reopened === 0,
          reopened,
          alreadyInRun: 22 - reopened,
          skipped: [],
          complete: true,
        },
        progress: { runId, members: 22, terminal: 22, open: [], movedOn: 0, done: true },
        verdicts: [
          {
            dataset: 'transactions',
            businessDate: '2026-11-19',
            current: { runId: `ready_${runId}`, verdict: 'READY', contentHash: 'c0ffee', failedGates: [] },
            previousReady: { runId: 'ready_x', contentHash: 'c0ffee', committedAt: runId },
            sameContent: true,
          },
        ],
      }) as unknown as RerunReport;

    // Act
    const a = canonicalReport({ report: report('a'), facts: facts(), rerun: rerun('run_1', 22) });
    const b = canonicalReport({ report: report('b'), facts: facts(), rerun: rerun('run_2', 0) });

    // Assess
    expect(diffCanonical(a, b)).toEqual([]);
    expect(a.rerun?.verdicts['transactions/2026-11-19']).toEqual({
      verdict: 'READY',
      goldContentHash: 'c0ffee',
      failingGates: [],
      previousReadyContentHash: 'c0ffee',
      sameContent: true,
    });
  });
});

describe('stableText', () => {
  it.each([
    ['run_b43ab397ff2448ba9733dd866d6945a5 reopened', 'run_… reopened'],
    ['see recon_3beefd210a0af137a26171ff', 'see recon_…'],
    ['f_44f585374d8932b7cbb9a895 stays', 'f_44f585374d8932b7cbb9a895 stays'],
  ])('rewrites %s', (text, expected) => {
    expect(stableText(text)).toBe(expected);
  });
});
