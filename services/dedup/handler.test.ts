import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { FileValidatedV1, RecordsDeduplicatedV1 } from '../../contracts/events/catalog.ts';
import { sumControlTotals } from '../../contracts/events/records-deduplicated.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import type { DedupCommit, DedupCommitResult } from './adapters/dynamo-dedup-committer.ts';
import { dedupConsumer, type FileValidatedDetail, processFileValidated } from './handler.ts';
import type { DedupDeps } from './side-effects.ts';
import { fileIds, landSilver, memoryObjects, testConfig, testPorts, txValues } from './test-support/fakes.ts';

function fileValidated(response: DedupCommitResult = 'committed') {
  const objects = memoryObjects();
  const input = landSilver(objects, {
    fileId: fileIds.a,
    runId: 'run_7',
    rows: [txValues('tx-1'), txValues('tx-1')],
  });
  const detail: FileValidatedDetail = createEvent(
    FileValidatedV1,
    { producer: 'schema-validate', correlationId: 'corr-1', causationId: 'landed-1', runId: 'run_7' },
    {
      fileId: input.fileId,
      partner: input.partner,
      dataset: input.dataset,
      businessDate: input.businessDate,
      schemaV: 1,
      sha256: input.sha256,
      counts: { rowsIn: 3, valid: 2, quarantined: 1 },
      silver: input.silver,
      quarantine: null,
      controlTotals: { declared: null, computed: { rowCount: 3, sums: { EUR: '3000' } } },
      validTotals: { rowCount: 2, sums: { EUR: '2000' } },
    },
  );
  const commits: DedupCommit[] = [];
  const deps: DedupDeps = {
    ports: testPorts(objects),
    config: testConfig(),
    commit: async (commit) => {
      commits.push(commit);
      return response;
    },
  };
  return { detail: Object.freeze(detail), deps, commits };
}

describe('processFileValidated', () => {
  it('commits a RecordsDeduplicated event caused by the FileValidated event, with conserved counts', async () => {
    // Prepare
    const { detail, deps, commits } = fileValidated();

    // Act
    const result = await processFileValidated(detail, deps);

    // Assess
    expect(result).toEqual({
      fileId: fileIds.a,
      runId: 'run_7',
      committed: true,
      counts: { valid: 2, unique: 1, duplicates: 1, conflicts: 0 },
    });
    expect(commits).toHaveLength(1);
    const event = RecordsDeduplicatedV1.schema.parse(commits[0]?.event);
    expect(event).toMatchObject({
      producer: 'dedup',
      correlationId: 'corr-1',
      causationId: detail.eventId,
      runId: 'run_7',
      data: {
        fileId: fileIds.a,
        counts: { valid: 2, unique: 1, duplicates: 1, conflicts: 0 },
        totals: {
          unique: { rowCount: 1, sums: { EUR: '1000' } },
          duplicates: { rowCount: 1, sums: { EUR: '1000' } },
          conflicts: { rowCount: 0, sums: {} },
        },
      },
    });
    expect(
      sumControlTotals(event.data.totals.unique, event.data.totals.duplicates, event.data.totals.conflicts),
    ).toEqual(detail.data.validTotals);
  });

  it('reports a redelivery after a committed run as not committed again', async () => {
    const { detail, deps } = fileValidated('already-committed');

    const result = await processFileValidated(detail, deps);

    expect(result).toMatchObject({ committed: false });
  });
});

describe('dedupConsumer', () => {
  it('keys on file, stage and run, and fingerprints the content hash and the silver claim check', () => {
    // Prepare
    const { detail } = fileValidated();
    const consumer = dedupConsumer(() => {
      throw new Error('not used');
    });
    const record = {
      messageId: 'm-1',
      body: JSON.stringify({
        id: 'e',
        'detail-type': 'FileValidated',
        source: 'x',
        time: detail.occurredAt,
        detail,
      }),
    } as SQSRecord;

    // Act
    const work = consumer.parse(record);

    // Assess
    expect(consumer.idempotencyKey(work)).toBe(`${fileIds.a}:dedup:run_7`);
    expect(consumer.fingerprint(work)).toBe(
      `${detail.data.sha256}:${detail.data.silver.bucket}:${detail.data.silver.parts.join(',')}`,
    );
    expect(consumer.logKeys(work)).toEqual({ correlationId: 'corr-1', runId: 'run_7', fileId: fileIds.a });
    expect(Object.isFrozen(work)).toBe(true);
  });
});
