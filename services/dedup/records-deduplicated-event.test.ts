import { describe, expect, it } from 'vitest';
import type { PartsOrManifestRef } from '../../contracts/events/parts-manifest-ref.ts';
import { RecordsDeduplicatedV1, RecordsDeduplicatedV2 } from '../../contracts/events/records-deduplicated.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import { type GetObject, readPartKeys } from '../../lib/parts-manifest/parts-manifest.ts';
import type { RecordsDeduplicatedPayload } from './dedup.ts';
import { recordsDeduplicatedEvent } from './records-deduplicated-event.ts';
import { memoryObjects, QUARANTINE_BUCKET } from './test-support/fakes.ts';

/** Every part key of a ref an outcome with rows has (null for one without). */
const keysOf = (ref: PartsOrManifestRef | null, getObject: GetObject) =>
  ref === null ? Promise.resolve(null) : readPartKeys(ref, getObject);

const folder =
  'quarantine/dedup/dataset=transactions/source=acme-bank/dt=2026-11-20/run_id=run_7/file_id=f_x/';
const entries = (kind: string, count: number) => ({
  bucket: QUARANTINE_BUCKET,
  prefix: `${folder}${kind}/`,
  parts: Array.from({ length: count }, (_, index) => `${folder}${kind}/unit-0000${index}/rows-00000.jsonl`),
});

/** A file with 3 duplicates parts and 1 conflicts part. */
const payload: RecordsDeduplicatedPayload = {
  fileId: 'f_0123456789abcdef01234567',
  partner: 'acme-bank',
  dataset: 'transactions',
  businessDate: '2026-11-20',
  schemaV: 1,
  sha256: 'a'.repeat(64),
  counts: { valid: 6, unique: 2, duplicates: 3, conflicts: 1 },
  totals: {
    unique: { rowCount: 2, sums: { EUR: '1050' } },
    duplicates: { rowCount: 3, sums: { EUR: '2100' } },
    conflicts: { rowCount: 1, sums: { EUR: '-5' } },
  },
  unique: {
    bucket: 'silver-bucket',
    prefix: 'silver/dedup/x/',
    parts: ['silver/dedup/x/part-00000.parquet'],
  },
  duplicates: entries('duplicates', 3),
  conflicts: entries('conflicts', 1),
};

const origin = {
  producer: 'dedup',
  correlationId: 'corr-1',
  causationId: 'validated-1',
  runId: 'run_7',
  eventId: '6f1c1d7e-8a3b-4b8e-9a51-2f1f4d7c9e10',
  occurredAt: '2026-11-20T10:00:00.000Z',
};

describe('recordsDeduplicatedEvent', () => {
  it.each([3, 400])(
    'builds v1 byte for byte as before and writes nothing when every list has at most %i parts',
    async (listedMax) => {
      // Prepare
      const objects = memoryObjects();

      // Act
      const event = await recordsDeduplicatedEvent(payload, origin, objects.objects, listedMax);

      // Assess
      expect(JSON.stringify(event)).toBe(JSON.stringify(createEvent(RecordsDeduplicatedV1, origin, payload)));
      expect(objects.keys(QUARANTINE_BUCKET)).toEqual([]);
    },
  );

  it('builds v2 with the longer list in a manifest listing every key in order, the rest as in v1', async () => {
    // Prepare
    const objects = memoryObjects();

    // Act
    const event = await recordsDeduplicatedEvent(payload, origin, objects.objects, 2);

    // Assess
    const v2 = RecordsDeduplicatedV2.schema.parse(event);
    const { duplicates, ...rest } = v2.data;
    const { duplicates: _listed, ...before } = payload;
    expect(v2.version).toBe(2);
    expect(rest).toEqual(before);
    expect(duplicates).toMatchObject({
      bucket: QUARANTINE_BUCKET,
      prefix: `${folder}duplicates/`,
      manifest: `${folder}duplicates/_parts-manifest.json`,
      parts: 3,
    });
    expect(await keysOf(duplicates, objects.objects.getObject)).toEqual(payload.duplicates?.parts);
    expect(objects.keys(QUARANTINE_BUCKET)).toEqual([`${folder}duplicates/_parts-manifest.json`]);
  });

  it('puts both lists in manifests when none may be listed, and keeps an empty outcome null', async () => {
    // Prepare
    const objects = memoryObjects();
    const noConflicts = {
      ...payload,
      counts: { valid: 5, unique: 2, duplicates: 3, conflicts: 0 },
      totals: { ...payload.totals, conflicts: { rowCount: 0, sums: {} } },
      conflicts: null,
    };

    // Act
    const both = RecordsDeduplicatedV2.schema.parse(
      await recordsDeduplicatedEvent(payload, origin, objects.objects, 0),
    );
    const one = RecordsDeduplicatedV2.schema.parse(
      await recordsDeduplicatedEvent(noConflicts, origin, objects.objects, 0),
    );

    // Assess
    expect(await keysOf(both.data.conflicts, objects.objects.getObject)).toEqual(payload.conflicts?.parts);
    expect(one.data.conflicts).toBeNull();
    expect(one.data.duplicates).toEqual(both.data.duplicates);
  });
});
