import { describe, expect, it } from 'vitest';
import { fileRunHistoryKey, reopenFileItem, runKey, runMemberKey } from './run-record.ts';

describe('run items', () => {
  it('keys a run, its members and a file history apart from FILE and DEDUP# items', () => {
    expect(runKey('run_b')).toEqual({ pk: 'RUN#run_b', sk: 'RUN' });
    expect(runMemberKey('run_b', 'f_1')).toEqual({ pk: 'RUN#run_b', sk: 'FILE#f_1' });
    expect(fileRunHistoryKey('f_1', 'run_a')).toEqual({ pk: 'FILE#f_1', sk: 'RUN#run_a' });
  });
});

describe('reopenFileItem', () => {
  it('opens the file in the new run only while it is terminal in the run it was read in', () => {
    // Act
    const item = reopenFileItem('files', {
      fileId: 'f_1',
      previousRunId: 'run_a',
      runId: 'run_b',
      eventId: 'e-1',
      at: '2026-12-01T09:00:00Z',
    });

    // Assess
    expect(item.Update).toMatchObject({
      TableName: 'files',
      Key: { pk: 'FILE#f_1', sk: 'FILE' },
      ConditionExpression: 'runId = :previousRunId AND stage IN (:validated, :rejected)',
      ExpressionAttributeValues: expect.objectContaining({
        ':runId': 'run_b',
        ':previousRunId': 'run_a',
        ':landed': 'LANDED',
        ':open': 'OPEN',
      }),
    });
    // The landing time is never touched; what the earlier run recorded is removed (kept in its history item).
    expect(item.Update?.UpdateExpression).not.toContain('landedAt');
    expect(item.Update?.UpdateExpression).toMatch(
      /REMOVE #counts, rejection, controlTotals, validTotals, lastRedriveAt$/,
    );
  });

  it('refuses to reopen a file into the run it is in', () => {
    expect(() =>
      reopenFileItem('files', {
        fileId: 'f_1',
        previousRunId: 'run_a',
        runId: 'run_a',
        eventId: 'e',
        at: 'x',
      }),
    ).toThrow(RangeError);
  });
});
