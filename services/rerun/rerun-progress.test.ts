import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../../lib/file-registry/file-record.ts';
import type { RunMemberRecord } from '../../lib/file-registry/run-record.ts';
import { fileRecordFixture } from '../../lib/file-registry/test-support/file-record.ts';
import { progressOf } from './rerun-progress.ts';

const RUN = 'run_b';
const member = (fileId: string) =>
  ({
    fileId,
    runId: RUN,
    partner: 'acme-bank',
    dataset: 'transactions',
    businessDate: '2026-11-20',
    fileName: `${fileId}.csv`,
  }) as RunMemberRecord;

describe('progressOf', () => {
  it('counts terminal, open and moved-on members; done once none is open in the run', () => {
    // Prepare
    const files = new Map<string, FileRecord>([
      ['f1', fileRecordFixture('f1', { runId: RUN, stage: 'VALIDATED' })],
      ['f2', fileRecordFixture('f2', { runId: RUN, stage: 'REJECTED' })],
      ['f3', fileRecordFixture('f3', { runId: RUN, stage: 'LANDED' })],
      ['f4', fileRecordFixture('f4', { runId: 'run_c', stage: 'LANDED' })],
    ]);
    const members = ['f1', 'f2', 'f3', 'f4'].map(member);

    // Act
    const open = progressOf(RUN, members, files);
    files.set('f3', { ...files.get('f3')!, stage: 'VALIDATED' });
    const closed = progressOf(RUN, members, files);

    // Assess
    expect(open).toMatchObject({ members: 4, terminal: 2, movedOn: 1, done: false });
    expect(open.open.map((file) => file.fileId)).toEqual(['f3']);
    expect(closed).toMatchObject({ members: 4, terminal: 3, movedOn: 1, open: [], done: true });
  });
});
