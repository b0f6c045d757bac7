import { isPartsManifestRef } from '../../contracts/events/parts-manifest-ref.ts';
import {
  type SettlementsMatchedDetail,
  type SettlementsMatchedPayload,
  SettlementsMatchedV1,
  SettlementsMatchedV2,
} from '../../contracts/events/settlements-matched.ts';
import { createEvent, type EventOrigin } from '../../lib/outbox/event-factory.ts';
import { listedOrManifest } from '../../lib/parts-manifest/parts-manifest.ts';
import type { MatchObjects } from './ports.ts';

/**
 * The SettlementsMatched event of a matched run (whole, or joined from its units), ready for the outbox.
 *
 * Primary course:
 * 1. Keep `results` listed when it has at most `listedMax` parts; otherwise write a parts manifest for it under the
 *    run's result folder (before the commit, and the same bytes on a retry, so a redelivery commits the same event).
 * 2. With the list kept, build v1 exactly as before: what every consumer and archived event already read.
 * 3. Otherwise build v2, whose `results` points to the manifest.
 * @example const event = await settlementsMatchedEvent(run.payload, origin, deps.ports.objects, deps.config.partsListedInlineMax)
 */
export async function settlementsMatchedEvent(
  payload: SettlementsMatchedPayload,
  origin: EventOrigin,
  objects: Pick<MatchObjects, 'putObject'>,
  listedMax: number,
): Promise<SettlementsMatchedDetail> {
  const results = await listedOrManifest(payload.results, listedMax, (ref, bytes) =>
    objects.putObject(ref, bytes),
  );
  if (!isPartsManifestRef(results)) return createEvent(SettlementsMatchedV1, origin, payload);
  return createEvent(SettlementsMatchedV2, origin, { ...payload, results });
}
