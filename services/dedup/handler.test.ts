import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  FileValidatedV1,
  RecordsDeduplicatedV1,
  RecordsDeduplicatedV2,
} from '../../contracts/events/catalog.ts';
import type { PartsOrManifestRef } from '../../contracts/events/parts-manifest-ref.ts';
import { sumControlTotals } from '../../contracts/events/records-deduplicated.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import { type GetObject, readPartKeys } from '../../lib/parts-manifest/parts-manifest.ts';
import type { DedupCommit, DedupCommitResult } from './adapters/dynamo-dedup-committer.ts';
import { dedupConsumer, type FileValidatedDetail, processFileValidated } from './handler.ts';
import type { DedupDeps } from './side-effects.ts';
import { fileIds, landSilver, memoryObjects, testConfig, testPorts, txValues } from './test-support/fakes.ts';

/** Every part key of a ref an outcome with rows has (null for one without). */
const keysOf = (ref: PartsOrManifestRef | null, getObject: GetObject) =>
  ref === null ? Promise.resolve(null) : readPartKeys(ref, getObject);

function fileValidated(response: DedupCommitResult = 'committed', config = testConfig(), copies = 2) {
  const objects = memoryObjects();
  const input = landSilver(objects, {
    fileId: fileIds.a,
    runId: 'run_7',
    rows: Array.from({ length: copies }, () => txValues('tx-1')),
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
      counts: { rowsIn: copies + 1, valid: copies, quarantined: 1 },
      silver: input.silver,
      quarantine: null,
      controlTotals: { declared: null, computed: { rowCount: 3, sums: { EUR: '3000' } } },
      validTotals: { rowCount: copies, sums: { EUR: String(copies * 1000) } },
    },
  );
  const commits: DedupCommit[] = [];
  const deps: DedupDeps = {
    ports: testPorts(objects),
    config,
    commit: async (commit) => {
      commits.push(commit);
      return response;
    },
  };
  return { detail: Object.freeze(detail), deps, commits, objects };
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

  it('announces duplicates in more parts than may be listed through a manifest, as v2, counts unchanged', async () => {
    // Prepare: one duplicate per part, 3 duplicates; the same file once with room to list them, once without
    const onePerPart = { quarantinePartEntries: 1 };
    const listed = fileValidated('committed', testConfig({ ...onePerPart, partsListedInlineMax: 3 }), 4);
    const manifested = fileValidated('committed', testConfig({ ...onePerPart, partsListedInlineMax: 2 }), 4);

    // Act
    await processFileValidated(listed.detail, listed.deps);
    await processFileValidated(manifested.detail, manifested.deps);

    // Assess
    const v1 = RecordsDeduplicatedV1.schema.parse(listed.commits[0]?.event);
    const v2 = RecordsDeduplicatedV2.schema.parse(manifested.commits[0]?.event);
    expect(v1.data.duplicates?.parts).toHaveLength(3);
    expect(v2.data.duplicates).toMatchObject({
      parts: 3,
      manifest: expect.stringMatching(/_parts-manifest\.json$/),
    });
    expect(await keysOf(v2.data.duplicates, manifested.objects.objects.getObject)).toEqual(
      v1.data.duplicates?.parts,
    );
    const { duplicates: _v2, ...v2Rest } = v2.data;
    const { duplicates: _v1, ...v1Rest } = v1.data;
    expect(v2Rest).toEqual(v1Rest);
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
