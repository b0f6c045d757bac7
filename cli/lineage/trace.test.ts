import { describe, expect, it } from 'vitest';
import type { ConflictEntry, DuplicateEntry } from '../../services/dedup/dedup-outputs.ts';
import type { RowLineage } from '../../services/dedup/ports.ts';
import { formatLineage } from './format.ts';
import { type LineageFacts, traceRecord } from './trace.ts';

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
const key = 'KEY#transactions#globex-pay#g-1';
const silverRow = (bucket: string) => ({
  part: { bucket, key: 'silver/…/part-00000.parquet' },
  columns: { transaction_id: 'g-1', amount_minor: '1000', card_last4: '4242' },
  lineage: { fileId: owner.fileId, sha256: owner.sha256, rowNumber: 3, runId: owner.runId, schemaV: 1 },
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
  gold: { objects: 0, row: null },
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
  record: { transaction_id: 'g-1', amount_minor: '9900' },
};

describe('traceRecord', () => {
  it('traces the owner from raw file to unique row, not in gold yet', () => {
    // Act
    const result = traceRecord(ownerOnly);

    // Assess
    expect(result.found).toBe(true);
    if (!result.found) return;
    expect(result.report).toMatchObject({
      status: 'unique',
      owner: { lineage: owner, fingerprintVersion: 1 },
      raw: { sha256: owner.sha256, fileName: 'a.csv' },
      silver: { lineage: { rowNumber: 3, runId: 'run_a', schemaV: 1 } },
      unique: { part: { bucket: 'silver-unique' } },
      occurrences: [],
      gold: { state: 'absent' },
      warnings: [],
    });
    expect(formatLineage(result.report)).toContain('not in gold yet');
  });

  it('lists duplicates and conflicts with both lineages, in date, file and row order', () => {
    // Act
    const result = traceRecord({ ...ownerOnly, entries: [conflict, duplicate] });

    // Assess
    if (!result.found) throw new Error('expected a report');
    expect(result.report.occurrences).toEqual([
      {
        outcome: 'duplicate',
        scope: 'cross-file',
        row: later,
        fingerprint: 'f'.repeat(64),
        against: owner,
        record: null,
      },
      {
        outcome: 'conflict',
        scope: 'cross-file',
        row: { ...later, rowNumber: 4 },
        fingerprint: 'c'.repeat(64),
        against: { ...owner, fingerprint: 'f'.repeat(64) },
        record: { transaction_id: 'g-1', amount_minor: '9900' },
      },
    ]);
    const text = formatLineage(result.report);
    expect(text).toContain('duplicate (cross-file): f_b row 2');
    expect(text).toContain('conflicts with f_a row 3');
  });

  it('reports a key whose every version was quarantined as conflicted, with no owner', () => {
    // Act
    const result = traceRecord({
      ...ownerOnly,
      keyRecord: null,
      ownerFile: null,
      validatedRow: null,
      uniqueRow: null,
      entries: [conflict],
    });

    // Assess
    if (!result.found) throw new Error('expected a report');
    expect(result.report).toMatchObject({ status: 'conflicted', owner: null, raw: null, warnings: [] });
    expect(formatLineage(result.report)).toContain('no version kept');
  });

  it('warns when a silver row does not carry the owner lineage', () => {
    // Act
    const result = traceRecord({
      ...ownerOnly,
      uniqueRow: null,
      validatedRow: { ...silverRow('silver'), lineage: { ...silverRow('silver').lineage, sha256: 'x' } },
    });

    // Assess
    if (!result.found) throw new Error('expected a report');
    expect(result.report.warnings).toEqual([
      "validated silver row _file_sha256 differs from the owner's",
      'no dedup unique row 3 in run run_a of f_a',
    ]);
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
