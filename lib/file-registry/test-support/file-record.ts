import type { FileRecord } from '../file-record.ts';

/**
 * A registry row for unit tests: an acme-bank transactions file of 2026-11-20, LANDED, with every
 * required field set, so a new required field is added here once rather than in every test.
 * @example fileRecordFixture('f1', { stage: 'VALIDATED', counts: { rowsIn: 2, valid: 2, quarantined: 0 } })
 */
export function fileRecordFixture(fileId: string, overrides: Partial<FileRecord> = {}): FileRecord {
  return {
    pk: `FILE#${fileId}`,
    sk: 'FILE',
    day: '2026-11-20',
    daySort: `transactions#acme-bank#${fileId}#FILE`,
    fileId,
    sha256: '0'.repeat(64),
    partner: 'acme-bank',
    dataset: 'transactions',
    businessDate: '2026-11-20',
    fileName: `${fileId}.csv`,
    landing: { bucket: 'landing', key: `inbound/${fileId}.csv` },
    raw: { bucket: 'raw', key: `raw/${fileId}.csv` },
    sizeBytes: 1,
    lineCount: 1,
    cardDataDetected: false,
    supersedesFileId: null,
    landedAt: '2026-11-20T10:00:00Z',
    runId: 'run_1',
    stage: 'LANDED',
    stageAt: '2026-11-20T10:00:00Z',
    lastEventId: 'e',
    redeliveries: 0,
    redrives: 0,
    ...overrides,
  };
}
