import { isPartsManifestRef } from '../../contracts/events/parts-manifest-ref.ts';
import {
  type RecordsDeduplicatedDetail,
  RecordsDeduplicatedV1,
  RecordsDeduplicatedV2,
} from '../../contracts/events/records-deduplicated.ts';
import { createEvent, type EventOrigin } from '../../lib/outbox/event-factory.ts';
import { listedOrManifest } from '../../lib/parts-manifest/parts-manifest.ts';
import type { RecordsDeduplicatedPayload } from './dedup.ts';
import type { DedupObjects } from './ports.ts';

/**
 * The RecordsDeduplicated event of a file's dedup, ready for the outbox.
 *
 * Primary course:
 * 1. Keep each of `duplicates` and `conflicts` listed when it has at most `listedMax` parts; write a parts manifest
 *    for a longer one (before the commit, and the same bytes on a retry, so a redelivery commits the same event).
 * 2. With every list kept, build v1 exactly as before: what every consumer and archived event already read.
 * 3. Otherwise build v2, whose refs may point to manifests (unique parts stay listed: ~1 per 1M rows).
 */
export async function recordsDeduplicatedEvent(
  payload: RecordsDeduplicatedPayload,
  origin: EventOrigin,
  objects: Pick<DedupObjects, 'putObject'>,
  listedMax: number,
): Promise<RecordsDeduplicatedDetail> {
  const put = (ref: Parameters<DedupObjects['putObject']>[0], bytes: Uint8Array) =>
    objects.putObject(ref, bytes);
  const announce = async (ref: RecordsDeduplicatedPayload['duplicates']) =>
    ref ? listedOrManifest(ref, listedMax, put) : null;
  const duplicates = await announce(payload.duplicates);
  const conflicts = await announce(payload.conflicts);
  const manifested = [duplicates, conflicts].some((ref) => ref !== null && isPartsManifestRef(ref));
  if (!manifested) return createEvent(RecordsDeduplicatedV1, origin, payload);
  return createEvent(RecordsDeduplicatedV2, origin, { ...payload, duplicates, conflicts });
}
