import { describe, expect, it } from 'vitest';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import {
  type SettlementsMatchedPayload,
  SettlementsMatchedV1,
  SettlementsMatchedV2,
} from '../../contracts/events/settlements-matched.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import { readPartKeys } from '../../lib/parts-manifest/parts-manifest.ts';
import fixture from '../../test/events/settlements-matched-v2.json' with { type: 'json' };
import { settlementsMatchedEvent } from './settlements-matched-event.ts';

const { bucket, prefix } = fixture.detail.data.results;

/** The fixture's run with its 3 result parts (two units' folders) listed, as matching hands it over. */
const payload: SettlementsMatchedPayload = {
  ...(fixture.detail.data as unknown as SettlementsMatchedPayload),
  results: {
    bucket,
    prefix,
    parts: [
      `${prefix}unit-00000/part-00000.jsonl`,
      `${prefix}unit-00000/part-00001.jsonl`,
      `${prefix}unit-00001/part-00000.jsonl`,
    ],
  },
};

const origin = {
  producer: 'settlement-match',
  correlationId: 'acme-bank:2026-11-20',
  causationId: 'deduplicated-1',
  runId: payload.matchRunId,
  eventId: fixture.detail.eventId,
  occurredAt: fixture.detail.occurredAt,
};

/** Objects kept in memory, by key. */
function memoryObjects() {
  const stored = new Map<string, Uint8Array>();
  return {
    stored,
    putObject: async (ref: ObjectRef, bytes: Uint8Array) => {
      stored.set(`${ref.bucket}/${ref.key}`, bytes);
    },
    getObject: async (ref: ObjectRef) => {
      const bytes = stored.get(`${ref.bucket}/${ref.key}`);
      if (!bytes) throw new Error(`no object ${ref.key}`);
      return bytes;
    },
  };
}

describe('settlementsMatchedEvent', () => {
  it.each([3, 400])(
    'builds v1 byte for byte as before and writes nothing when the results have at most %i parts',
    async (listedMax) => {
      // Prepare
      const objects = memoryObjects();

      // Act
      const event = await settlementsMatchedEvent(payload, origin, objects, listedMax);

      // Assess
      expect(JSON.stringify(event)).toBe(JSON.stringify(createEvent(SettlementsMatchedV1, origin, payload)));
      expect([...objects.stored.keys()]).toEqual([]);
    },
  );

  it.each([2, 0])(
    'builds v2 above %i parts, its results a manifest under the run folder listing every key in order',
    async (listedMax) => {
      // Prepare
      const objects = memoryObjects();

      // Act
      const v2 = SettlementsMatchedV2.schema.parse(
        await settlementsMatchedEvent(payload, origin, objects, listedMax),
      );

      // Assess
      const { results, ...rest } = v2.data;
      const { results: _listed, ...before } = payload;
      expect(v2.version).toBe(2);
      expect(rest).toEqual(before);
      expect(results).toMatchObject({ bucket, prefix, manifest: `${prefix}_parts-manifest.json`, parts: 3 });
      expect(await readPartKeys(results, objects.getObject)).toEqual(payload.results.parts);
      expect([...objects.stored.keys()]).toEqual([`${bucket}/${prefix}_parts-manifest.json`]);
    },
  );

  it('writes the same manifest and event again on a retry', async () => {
    // Prepare
    const objects = memoryObjects();
    const first = await settlementsMatchedEvent(payload, origin, objects, 0);
    const bytes = objects.stored.get(`${bucket}/${prefix}_parts-manifest.json`);

    // Act
    const again = await settlementsMatchedEvent(payload, origin, objects, 0);

    // Assess
    expect(again).toEqual(first);
    expect(objects.stored.get(`${bucket}/${prefix}_parts-manifest.json`)).toEqual(bytes);
  });
});
