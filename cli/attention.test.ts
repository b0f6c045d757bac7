import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../lib/file-registry/file-record.ts';
import { type AttentionInputs, attentionItems, formatAttention } from './attention.ts';

const complete: AttentionInputs = {
  queues: [
    { service: 'dedup', queue: 'queue', messages: 0 },
    { service: 'dedup', queue: 'dlq', messages: 0 },
    { service: 'dedup', queue: 'busDlq', messages: 0 },
  ],
  files: [],
  deduplicated: new Set(),
  staleReconciliations: [],
  staleMatches: [],
  verdicts: [
    { dataset: 'transactions', businessDate: '2026-11-20', currentRunId: 'r2', verdictRunIds: ['r1', 'r2'] },
  ],
};

const fileRecord = (fileId: string, stage: FileRecord['stage']) =>
  ({
    fileId,
    partner: 'acme-bank',
    dataset: 'transactions',
    businessDate: '2026-11-20',
    stage,
    runId: 'run-1',
    landedAt: '2026-11-20T05:00:00Z',
  }) as FileRecord;

describe('attentionItems', () => {
  it('finds nothing on a complete state, and the report says so first', () => {
    expect(attentionItems(complete)).toEqual([]);
    expect(formatAttention([])[0]).toMatch(/^Complete:/);
  });

  it('puts a DLQ message first, with the commands that read and redrive it', () => {
    const items = attentionItems({
      ...complete,
      files: [fileRecord('f_open', 'LANDED')],
      queues: [{ service: 'dedup', queue: 'dlq', messages: 2 }],
    });

    expect(items.map((item) => item.kind)).toEqual(['DLQ_MESSAGES', 'FILE_OPEN']);
    expect(items[0]).toMatchObject({ scope: 'dedup DLQ', detail: expect.stringMatching(/^2 message/) });
    expect(items[0]?.next).toMatch(/dlq show dedup .*dlq redrive dedup/);
    expect(formatAttention(items)[0]).toMatch(/^INCOMPLETE: 2 item\(s\).*exit 3/);
  });

  it('flags queued work, a validated file without dedup, stale runs and verdicts', () => {
    const items = attentionItems({
      ...complete,
      queues: [{ service: 'reconcile', queue: 'queue', messages: 1 }],
      files: [fileRecord('f_done', 'VALIDATED'), fileRecord('f_waiting', 'VALIDATED')],
      deduplicated: new Set(['f_done']),
      staleReconciliations: [{ scope: 'transactions 2026-11-20 acme-bank', missed: ['f_waiting'] }],
      staleMatches: [{ partner: 'acme-bank', asOf: '2026-11-20', missed: ['f_waiting'] }],
      verdicts: [
        { dataset: 'transactions', businessDate: '2026-11-20', currentRunId: 'r3', verdictRunIds: ['r1'] },
        { dataset: 'settlements', businessDate: '2026-11-20', currentRunId: 'r9', verdictRunIds: [] },
      ],
    });

    expect(items.map((item) => `${item.kind} ${item.scope}`)).toEqual([
      'QUEUED_WORK reconcile queue',
      'DEDUP_MISSING f_waiting (acme-bank transactions 2026-11-20)',
      'RECONCILIATION_STALE transactions 2026-11-20 acme-bank',
      'MATCH_STALE acme-bank as of 2026-11-20',
      'VERDICT_STALE transactions 2026-11-20',
      'VERDICT_MISSING settlements 2026-11-20',
    ]);
  });
});
