import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { FileLandedV1, FileRejectedV1, FileValidatedV1 } from '../../contracts/events/catalog.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import type { StageCommit, StageCommitResult } from './adapters/dynamo-stage-committer.ts';
import {
  type FileLandedDetail,
  processFileLanded,
  recordQuarantineRate,
  schemaValidateConsumer,
} from './handler.ts';
import type { SchemaValidateDeps } from './side-effects.ts';
import { memoryStore, RAW_BUCKET, rawFile, testConfig } from './test-support/fake-ports.ts';
import { TRANSACTIONS_HEADER } from './test-support/generated-file.ts';

const GOOD = `${TRANSACTIONS_HEADER}\ntx-1,payment,1.00,EUR,2024-03-01T10:00:00Z,m,,\nTRAILER,1,EUR=1.00\n`;

interface Fixture {
  detail: FileLandedDetail;
  deps: SchemaValidateDeps;
  commits: StageCommit[];
  respond: (result: StageCommitResult) => void;
}

function fileLanded(text: string): Fixture {
  const file = rawFile(text);
  const store = memoryStore();
  store.putRaw(file);
  const detail = createEvent(
    FileLandedV1,
    {
      producer: 'file-landing',
      correlationId: 'corr-1',
      causationId: 's3-event-1',
      runId: 'run_00000000000000000000000000000009',
    },
    {
      fileId: `f_${file.sha256.slice(0, 24)}`,
      sha256: file.sha256,
      sizeBytes: file.sizeBytes,
      lineCount: 2,
      partner: 'acme-bank',
      dataset: 'transactions',
      businessDate: '2024-03-01',
      fileName: 'file.csv',
      landing: { bucket: 'landing', key: 'inbound/acme-bank/transactions/2024-03-01/file.csv' },
      raw: { bucket: RAW_BUCKET, key: file.key },
      cardDataDetected: false,
      supersedesFileId: null,
      schemaV: 1,
    },
  );
  const commits: StageCommit[] = [];
  let response: StageCommitResult = 'committed';
  const deps: SchemaValidateDeps = {
    ports: store.ports,
    config: testConfig(),
    commitStage: async (commit) => {
      commits.push(commit);
      return response;
    },
  };
  return { detail: Object.freeze(detail), deps, commits, respond: (result) => (response = result) };
}

describe('processFileLanded', () => {
  it('commits VALIDATED with a FileValidated event caused by the FileLanded event', async () => {
    // Prepare
    const { detail, deps, commits } = fileLanded(GOOD);

    // Act
    const result = await processFileLanded(detail, deps);

    // Assess
    expect(result).toEqual({
      fileId: detail.data.fileId,
      runId: detail.runId,
      outcome: 'validated',
      code: null,
      committed: true,
      counts: commits[0]?.counts,
    });
    expect(result.counts.rowsIn).toBe(result.counts.valid + result.counts.quarantined);
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({
      stage: 'VALIDATED',
      counts: { rowsIn: 1, valid: 1, quarantined: 0 },
      runId: detail.runId,
    });
    const event = FileValidatedV1.schema.parse(commits[0]?.event);
    expect(commits[0]?.totals).toEqual({
      controlTotals: event.data.controlTotals,
      validTotals: event.data.validTotals,
    });
    expect(event).toMatchObject({
      producer: 'schema-validate',
      correlationId: 'corr-1',
      causationId: detail.eventId,
      runId: detail.runId,
    });
  });

  it('commits REJECTED with a FileRejected event and the rejection code', async () => {
    // Prepare
    const { detail, deps, commits } = fileLanded(`${TRANSACTIONS_HEADER}\n`);

    // Act
    const result = await processFileLanded(detail, deps);

    // Assess
    expect(result).toMatchObject({ outcome: 'rejected', code: 'HEADER_ONLY', committed: true });
    expect(commits[0]).toMatchObject({ stage: 'REJECTED', rejection: { code: 'HEADER_ONLY' } });
    expect(commits[0]?.totals).toBeUndefined();
    expect(FileRejectedV1.schema.safeParse(commits[0]?.event).success).toBe(true);
  });

  it('reports a redelivery after a committed run as not committed again', async () => {
    // Prepare
    const { detail, deps, respond } = fileLanded(GOOD);
    respond('already-terminal');

    // Act
    const result = await processFileLanded(detail, deps);

    // Assess
    expect(result.committed).toBe(false);
  });
});

describe('schemaValidateConsumer', () => {
  it('keys on file, stage and run, and fingerprints content, raw key and schema version', () => {
    // Prepare
    const { detail } = fileLanded(GOOD);
    const consumer = schemaValidateConsumer(() => {
      throw new Error('not used');
    });
    const record = {
      messageId: 'm-1',
      body: JSON.stringify({
        id: 'e',
        'detail-type': 'FileLanded',
        source: 'x',
        time: detail.occurredAt,
        detail,
      }),
    } as SQSRecord;

    // Act
    const work = consumer.parse(record);

    // Assess
    expect(consumer.idempotencyKey(work)).toBe(`${detail.data.fileId}:schema-validate:${detail.runId}`);
    expect(consumer.fingerprint(work)).toBe(`${detail.data.sha256}:${RAW_BUCKET}/${detail.data.raw.key}:1`);
    expect(consumer.logKeys(work)).toEqual({
      correlationId: 'corr-1',
      runId: detail.runId,
      fileId: detail.data.fileId,
    });
    expect(Object.isFrozen(work)).toBe(true);
  });
});

describe('recordQuarantineRate', () => {
  const result = {
    fileId: 'f',
    runId: 'r',
    outcome: 'validated' as const,
    code: null,
    committed: true,
    counts: { rowsIn: 200, valid: 195, quarantined: 5 },
  };

  it('adds the quarantine rate of a file this run closed, in percent', () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'finledger', serviceName: 'schema-validate' });

    // Act
    const added = recordQuarantineRate(metrics, result);
    expect(added).toBe(true);

    // Assess
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    expect(emf.QuarantineRate).toBe(2.5);
  });

  it.each([
    ['a redelivery that closed nothing', { ...result, committed: false }],
    ['an empty file', { ...result, counts: { rowsIn: 0, valid: 0, quarantined: 0 } }],
  ])('adds nothing for %s', (_case, input) => {
    const metrics = new Metrics({ namespace: 'finledger', serviceName: 'schema-validate' });

    recordQuarantineRate(metrics, input);

    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});
