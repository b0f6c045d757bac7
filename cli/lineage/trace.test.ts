import { describe, expect, it } from 'vitest';
import type { ConflictEntry, DuplicateEntry } from '../../services/dedup/dedup-outputs.ts';
import type { RowLineage } from '../../services/dedup/ports.ts';
import { formatLineage } from './format.ts';
import { latestReadyOf, latestVerdictOf, type ReadyPartitionFact, type VerdictFact } from './gold-choice.ts';
import { occurrencesOf, type RecordedEntry } from './occurrences.ts';
import { isoOfMicros, silverCell } from './silver-cells.ts';
import { type LineageFacts, type LineageReport, rowsRunOf, traceRecord } from './trace.ts';

const owner: RowLineage = {
  fileId: 'f_a',
  runId: 'run_a',
  rowNumber: 3,
  businessDate: '2026-11-19',
  sha256: 'a'.repeat(64),
};
const later: RowLineage = {
  fileId: 'f_b',
  runId: 'run_b',
  rowNumber: 2,
  businessDate: '2026-11-20',
  sha256: 'b'.repeat(64),
};
const { runId: _ownerRun, ...ownerPlace } = owner;
const { runId: _laterRun, ...laterPlace } = later;
const key = 'KEY#transactions#globex-pay#g-1';
const silverRow = (bucket: string, runId = owner.runId) => ({
  part: { bucket, key: `silver/…/run_id=${runId}/part-00000.parquet` },
  columns: { transaction_id: 'g-1', amount_minor: '1000', card_last4: '4242' },
  lineage: { fileId: owner.fileId, sha256: owner.sha256, rowNumber: 3, runId, schemaV: 1 },
});

const ownerOnly: LineageFacts = {
  query: { dataset: 'transactions', partner: 'globex-pay', id: 'g-1' },
  key,
  keyRecord: { fingerprint: 'f'.repeat(64), fingerprintVersion: 1, owner },
  ownerFile: {
    fileId: 'f_a',
    partner: 'globex-pay',
    dataset: 'transactions',
    businessDate: '2026-11-19',
    fileName: 'a.csv',
    sha256: owner.sha256,
    landing: { bucket: 'landing', key: 'inbound/globex-pay/transactions/2026-11-19/a.csv' },
    raw: { bucket: 'raw', key: 'raw/f_a' },
    landedAt: '2026-11-19T01:00:00Z',
    stage: 'VALIDATED',
    runId: 'run_a',
  },
  validatedRow: silverRow('silver'),
  uniqueRow: silverRow('silver-unique'),
  entries: [],
  gold: { objects: 0, ready: null, row: null, latestVerdict: null },
};

/** The same facts after a rerun moved the owner's file to `run_r` and validated it again there. */
const afterRerun: LineageFacts = {
  ...ownerOnly,
  ownerFile: { ...(ownerOnly.ownerFile as NonNullable<LineageFacts['ownerFile']>), runId: 'run_r' },
  validatedRow: silverRow('silver', 'run_r'),
  uniqueRow: silverRow('silver-unique', 'run_r'),
};

const duplicate: DuplicateEntry = {
  kind: 'duplicate',
  scope: 'cross-file',
  key,
  naturalKey: { partner: 'globex-pay', transaction_id: 'g-1' },
  fingerprint: 'f'.repeat(64),
  row: later,
  of: owner,
};
const conflict: ConflictEntry = {
  kind: 'conflict',
  scope: 'cross-file',
  key,
  naturalKey: { partner: 'globex-pay', transaction_id: 'g-1' },
  row: { ...later, rowNumber: 4, fingerprint: 'c'.repeat(64) },
  other: { ...owner, fingerprint: 'f'.repeat(64) },
  record: {
    transaction_id: 'g-1',
    amount_minor: '9900',
    occurred_at: '1795098254000000',
    occurred_at_text: '2026-11-19T15:24:14+01:00',
  },
};
const recorded = (
  entry: DuplicateEntry | ConflictEntry,
  recordedAt = '2026-11-20T02:00:00Z',
): RecordedEntry => ({
  entry,
  recordedAt,
  schemaV: 1,
});
/** The conflict as a rerun of `f_b` under `run_r` records it again: only the row's run differs. */
const conflictInRerun: ConflictEntry = { ...conflict, row: { ...conflict.row, runId: 'run_r' } };

const reportOf = (facts: LineageFacts): LineageReport => {
  const result = traceRecord(facts);
  if (!result.found) throw new Error(result.message);
  return result.report;
};

describe('traceRecord', () => {
  it('traces the owner from raw file to unique row, not in gold yet', () => {
    // Act
    const report = reportOf(ownerOnly);

    // Assess
    expect(report).toMatchObject({
      status: 'unique',
      owner: { lineage: owner, fingerprintVersion: 1 },
      raw: { sha256: owner.sha256, fileName: 'a.csv' },
      silverRunId: 'run_a',
      silver: { lineage: { rowNumber: 3, runId: 'run_a', schemaV: 1 } },
      unique: { part: { bucket: 'silver-unique' } },
      occurrences: [],
      gold: { state: 'absent', readyRunId: null },
      warnings: [],
    });
    const text = formatLineage(report);
    expect(text).toContain('not in gold yet');
    expect(text).toContain('unique (kept): owner f_a row 3 (run run_a');
    expect(text).not.toContain('first kept in run');
  });

  it('lists duplicates and conflicts with both lineages, in date, file and row order', () => {
    // Act
    const report = reportOf({ ...ownerOnly, entries: [recorded(conflict), recorded(duplicate)] });

    // Assess
    expect(report.occurrences).toEqual([
      {
        outcome: 'duplicate',
        scope: 'cross-file',
        row: laterPlace,
        fingerprint: 'f'.repeat(64),
        against: ownerPlace,
        record: null,
        runs: [{ runId: 'run_b', againstRunId: 'run_a', recordedAt: '2026-11-20T02:00:00Z' }],
      },
      {
        outcome: 'conflict',
        scope: 'cross-file',
        row: { ...laterPlace, rowNumber: 4 },
        fingerprint: 'c'.repeat(64),
        against: { ...ownerPlace, fingerprint: 'f'.repeat(64) },
        record: {
          transaction_id: 'g-1',
          amount_minor: '9900',
          occurred_at: '2026-11-19T14:24:14.000Z',
          occurred_at_text: '2026-11-19T15:24:14+01:00',
        },
        runs: [{ runId: 'run_b', againstRunId: 'run_a', recordedAt: '2026-11-20T02:00:00Z' }],
      },
    ]);
    const text = formatLineage(report);
    expect(text).toContain('duplicate (cross-file): f_b row 2 (run run_b, 2026-11-20');
    expect(text).toContain('conflicts with f_a row 3 (run run_a, 2026-11-19');
  });

  it('reports a key whose every version was quarantined as conflicted, with no owner', () => {
    // Act
    const report = reportOf({
      ...ownerOnly,
      keyRecord: null,
      ownerFile: null,
      validatedRow: null,
      uniqueRow: null,
      entries: [recorded(conflict)],
    });

    // Assess
    expect(report).toMatchObject({
      status: 'conflicted',
      owner: null,
      raw: null,
      silverRunId: null,
      gold: { state: 'absent', reason: 'not in gold: no version of this key was kept' },
      warnings: [],
    });
    expect(formatLineage(report)).toContain('no version kept');
  });

  it('refuses an unknown key with what to check', () => {
    // Act
    const result = traceRecord({
      ...ownerOnly,
      keyRecord: null,
      ownerFile: null,
      validatedRow: null,
      uniqueRow: null,
    });

    // Assess
    expect(result).toEqual({
      found: false,
      message:
        'no record g-1 for partner globex-pay in transactions: check the id, or whether the file was landed',
    });
  });
});

describe('occurrencesOf', () => {
  it('lists a conflict recorded by two runs once, with both runs oldest first', () => {
    // Act
    const occurrences = occurrencesOf('transactions', [
      recorded(conflictInRerun, '2026-12-01T09:00:00Z'),
      recorded(conflict, '2026-11-20T02:00:00Z'),
    ]);

    // Assess
    expect(occurrences).toHaveLength(1);
    expect(occurrences[0]?.runs).toEqual([
      { runId: 'run_b', againstRunId: 'run_a', recordedAt: '2026-11-20T02:00:00Z' },
      { runId: 'run_r', againstRunId: 'run_a', recordedAt: '2026-12-01T09:00:00Z' },
    ]);
    expect(occurrences[0]?.row).toEqual({ ...laterPlace, rowNumber: 4 });
  });

  it('lists a run once when its entry was read twice', () => {
    // Act
    const occurrences = occurrencesOf('transactions', [recorded(duplicate), recorded(duplicate)]);

    // Assess
    expect(occurrences.map((occurrence) => occurrence.runs.length)).toEqual([1]);
  });

  it.each([
    ['another row of the file', { row: { ...conflict.row, rowNumber: 5 } }],
    ['another file', { row: { ...conflict.row, fileId: 'f_c' } }],
    ['another version', { record: { ...conflict.record, amount_minor: '9800' } }],
    ['another row it conflicts with', { other: { ...conflict.other, rowNumber: 9 } }],
  ])('keeps a conflict with %s apart', (_, change) => {
    // Act
    const occurrences = occurrencesOf('transactions', [
      recorded(conflict),
      recorded({ ...conflictInRerun, ...change }),
    ]);

    // Assess
    expect(occurrences).toHaveLength(2);
  });

  it('says a within-file conflict recorded by two runs was against the same run each time', () => {
    // Prepare
    const withinFile = (runId: string): ConflictEntry => ({
      ...conflict,
      scope: 'within-file',
      row: { ...conflict.row, runId },
      other: { ...later, runId, fingerprint: null },
    });

    // Act
    const report = reportOf({
      ...ownerOnly,
      keyRecord: null,
      ownerFile: null,
      validatedRow: null,
      uniqueRow: null,
      entries: [recorded(withinFile('run_b')), recorded(withinFile('run_r'), '2026-12-01T09:00:00Z')],
    });

    // Assess
    expect(report.occurrences[0]?.runs.map((run) => [run.runId, run.againstRunId])).toEqual([
      ['run_b', 'run_b'],
      ['run_r', 'run_r'],
    ]);
    const text = formatLineage(report);
    expect(text).toContain('conflict (within-file): f_b row 4 (runs run_b, run_r, 2026-11-20');
    expect(text).toContain('conflicts with f_b row 2 (same run, 2026-11-20');
  });

  it('formats the quarantined version by the settlements contract, as silver rows are', () => {
    // Prepare
    const settlement: ConflictEntry = {
      ...conflict,
      key: 'KEY#settlements#globex-pay#s-1',
      record: {
        settlement_id: 's-1',
        amount_minor: '-1250',
        fee_minor: '0',
        currency_exponent: 2,
        settled_at: '1795098254000123',
        settled_at_text: '2026-11-19T14:24:14.000123Z',
        payout_batch_id: null,
      },
    };

    // Act
    const [occurrence] = occurrencesOf('settlements', [recorded(settlement)]);

    // Assess
    expect(occurrence?.record).toEqual({
      settlement_id: 's-1',
      amount_minor: '-1250',
      fee_minor: '0',
      currency_exponent: 2,
      settled_at: '2026-11-19T14:24:14.000123Z',
      settled_at_text: '2026-11-19T14:24:14.000123Z',
      payout_batch_id: null,
    });
  });
});

describe('silverCell', () => {
  it.each([
    ['TIMESTAMP_MICROS', '1795098254000000', '2026-11-19T14:24:14.000Z'],
    ['TIMESTAMP_MICROS', 1795098254000001n, '2026-11-19T14:24:14.000001Z'],
    ['TIMESTAMP_MICROS', '-1', '1969-12-31T23:59:59.999999Z'],
    ['INT64', 1000n, '1000'],
    ['INT64', '1000', '1000'],
    ['INT32', 2, 2],
    ['DATE', 20_776, '2026-11-19'],
    ['STRING', '1795098254000000', '1795098254000000'],
    ['TIMESTAMP_MICROS', null, null],
    [undefined, 5n, '5'],
  ] as const)('shows a %s cell %s as %s', (type, value, expected) => {
    // Act
    const cell = silverCell(type, value);

    // Assess
    expect(cell).toEqual(expected);
  });

  it('keeps a value that cannot be an instant as it is', () => {
    // Act
    const cells = [isoOfMicros(10n ** 30n), silverCell('TIMESTAMP_MICROS', 'soon')];

    // Assess
    expect(cells).toEqual([(10n ** 30n).toString(), 'soon']);
  });
});

describe('rows of the current run', () => {
  const file = ownerOnly.ownerFile as NonNullable<LineageFacts['ownerFile']>;

  it.each([
    ['VALIDATED in the run of the key', { ...file }, 'run_a'],
    ['VALIDATED in a rerun', { ...file, runId: 'run_r' }, 'run_r'],
    ['open again in a rerun', { ...file, runId: 'run_r', stage: 'LANDED' as const }, 'run_a'],
    ['REJECTED in a rerun', { ...file, runId: 'run_r', stage: 'REJECTED' as const }, 'run_a'],
    ['another file', { ...file, fileId: 'f_x', runId: 'run_r' }, 'run_a'],
    ['not in the registry', null, 'run_a'],
  ])('shows the rows of the right run when the owner file is %s', (_, ownerFile, expected) => {
    // Act
    const runId = rowsRunOf(owner, ownerFile);

    // Assess
    expect(runId).toBe(expected);
  });

  it("shows the current run's rows after a rerun, says which run first kept the key, and warns of nothing", () => {
    // Act
    const report = reportOf(afterRerun);

    // Assess
    expect(report).toMatchObject({
      owner: { lineage: { runId: 'run_a' } },
      raw: { runId: 'run_r' },
      silverRunId: 'run_r',
      silver: { lineage: { runId: 'run_r' } },
      warnings: [],
    });
    const text = formatLineage(report);
    expect(text).toContain('validated silver row 3 (run run_r, schema_v 1)');
    expect(text).toContain('unique (kept in run run_r, first kept in run run_a): owner f_a row 3 (run run_a');
  });
});

describe('warnings', () => {
  const rerunRow = silverRow('silver', 'run_r');

  it.each([
    [
      'a silver row of the run that first kept the key, though the file validated again since',
      { validatedRow: silverRow('silver') },
      ["validated silver row lineage f_a:3 (run_a) is not the owner's row in run run_r"],
    ],
    [
      'another row number',
      { validatedRow: { ...rerunRow, lineage: { ...rerunRow.lineage, rowNumber: 4 } } },
      ["validated silver row lineage f_a:4 (run_r) is not the owner's row in run run_r"],
    ],
    [
      'another file',
      { uniqueRow: { ...rerunRow, lineage: { ...rerunRow.lineage, fileId: 'f_x' } } },
      ["dedup unique row lineage f_x:3 (run_r) is not the owner's row in run run_r"],
    ],
    [
      'another sha256',
      { validatedRow: { ...rerunRow, lineage: { ...rerunRow.lineage, sha256: 'x' } } },
      ["validated silver row _file_sha256 differs from the owner's"],
    ],
    ['a missing row', { uniqueRow: null }, ['no dedup unique row 3 in run run_r of f_a']],
    [
      'a registry sha256 other than the key owner',
      { ownerFile: { ...(afterRerun.ownerFile as NonNullable<LineageFacts['ownerFile']>), sha256: 'x' } },
      [`owner sha256 ${owner.sha256} differs from the registry's x`],
    ],
    [
      'a file REJECTED in its current run',
      {
        ownerFile: {
          ...(afterRerun.ownerFile as NonNullable<LineageFacts['ownerFile']>),
          stage: 'REJECTED' as const,
        },
        validatedRow: silverRow('silver'),
        uniqueRow: silverRow('silver-unique'),
      },
      ["owner file f_a was REJECTED in its current run run_r: the key's row is not in its current silver"],
    ],
  ])('warns of %s after a rerun', (_, change, expected) => {
    // Act
    const report = reportOf({ ...afterRerun, ...change });

    // Assess
    expect(report.warnings).toEqual(expected);
  });
});

describe('gold of the latest READY', () => {
  const partition = (runId: string, createdAt: string): ReadyPartitionFact => ({
    runId,
    createdAt,
    schemaV: 1,
    marker: { bucket: 'gold', key: `gold/dataset=transactions/dt=2026-11-19/run_id=${runId}/_READY.json` },
    parts: [`gold/dataset=transactions/dt=2026-11-19/run_id=${runId}/part-00000.parquet`],
  });
  const blocked: VerdictFact = {
    verdict: 'BLOCKED',
    runId: 'ready_c',
    committedAt: '2026-12-01T10:00:00.000Z',
    failedGates: ['open-conflicts:globex-pay'],
  };

  it('chooses the partition with the newest marker, whatever the listing order', () => {
    // Prepare
    const old = partition('ready_z', '2026-11-20T03:00:00.000Z');
    const rerun = partition('ready_a', '2026-12-01T09:00:00.000Z');

    // Act
    const chosen = [latestReadyOf([old, rerun]), latestReadyOf([rerun, old]), latestReadyOf([])];

    // Assess
    expect(chosen).toEqual([rerun, rerun, null]);
  });

  it('chooses the latest verdict by commit time', () => {
    // Prepare
    const ready: VerdictFact = { ...blocked, verdict: 'READY', committedAt: '2026-12-01T09:00:00.000Z' };

    // Act
    const latest = latestVerdictOf([blocked, ready]);

    // Assess
    expect(latest).toBe(blocked);
  });

  it('shows the row of the latest READY partition with its ready run, and a later BLOCKED verdict beside it', () => {
    // Prepare
    const ready = partition('ready_a', '2026-12-01T09:00:00.000Z');

    // Act
    const report = reportOf({
      ...ownerOnly,
      gold: {
        objects: 4,
        ready,
        row: { part: { bucket: 'gold', key: ready.parts[0] ?? '' }, columns: { transaction_id: 'g-1' } },
        latestVerdict: blocked,
      },
    });

    // Assess
    expect(report.gold).toEqual({
      state: 'present',
      readyRunId: 'ready_a',
      readyAt: '2026-12-01T09:00:00.000Z',
      part: { bucket: 'gold', key: ready.parts[0] },
      row: { transaction_id: 'g-1' },
      latestVerdict: blocked,
    });
    const text = formatLineage(report);
    expect(text).toContain('gold (ready run ready_a, published 2026-12-01T09:00:00.000Z): s3://gold/gold/');
    expect(text).toContain(
      'latest verdict: BLOCKED (open-conflicts:globex-pay) at 2026-12-01T10:00:00.000Z; gold shown is the latest READY (ready run ready_a)',
    );
  });

  it.each([
    [0, null, 'not in gold yet: no gold partition for the business date'],
    [2, null, 'not in gold yet: no complete gold partition (with _READY.json) for the business date'],
    [
      3,
      partition('ready_a', '2026-12-01T09:00:00.000Z'),
      'not in gold: the latest READY partition (ready run ready_a) has no row for this key',
    ],
  ])('says why the key is not in gold with %i objects and partition %o', (objects, ready, reason) => {
    // Act
    const report = reportOf({ ...ownerOnly, gold: { objects, ready, row: null, latestVerdict: null } });

    // Assess
    expect(report.gold).toEqual({
      state: 'absent',
      reason,
      readyRunId: ready?.runId ?? null,
      latestVerdict: null,
    });
  });
});
