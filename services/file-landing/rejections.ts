import type { ObjectRef } from '../../contracts/events/envelope.ts';
import { FileRejectedV1, type RejectionCode } from '../../contracts/events/file-rejected.ts';
import { runIdFrom } from '../../lib/file-registry/run-record.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import { scanContent } from './content-scan.ts';
import { digestOf, uuidFromSeed } from './ids.ts';
import type { LandingRoute, UnroutableKey } from './landing-key.ts';
import { unroutableObjectKey } from './object-layout.ts';
import type { FileLandingDeps, ObjectHead, PinnedObject } from './ports.ts';
import type { S3ObjectCreated } from './s3-notification.ts';

export type RejectedOutcome = {
  outcome: 'rejected';
  code: RejectionCode;
  eventId: string;
  /** True when an earlier attempt had already committed this rejection (nothing new was written). */
  alreadyRecorded: boolean;
  quarantine: ObjectRef | null;
};

/**
 * Park an object whose key is not on the allow-list and announce it.
 *
 * Primary course:
 * 1. Hash and scan the object (if within the size cap), to name the parked copy by content.
 * 2. Copy it to `quarantine/unroutable/<date>/<sha256>` (or `restricted/…` when it holds card numbers),
 *    never to raw and never under its own key.
 * 3. Commit a FileRejected (fileId null) through the outbox, with an event id derived from the delivery,
 *    so a retry after the commit adds nothing.
 */
export async function quarantineUnroutable(
  notice: S3ObjectCreated,
  rejection: UnroutableKey,
  source: PinnedObject,
  head: ObjectHead,
  deps: FileLandingDeps,
): Promise<RejectedOutcome> {
  const { ports, settings } = deps;
  let quarantine: ObjectRef | null = null;
  if (head.sizeBytes <= settings.maxObjectBytes) {
    const content = await scanContent(ports.readObject(source), { expectedBytes: head.sizeBytes });
    const cardData = content.cardNumbers.count > 0;
    quarantine = {
      bucket: settings.quarantineBucket,
      key: unroutableObjectKey(dateOf(notice.time, ports.now()), content.sha256, cardData),
    };
    await ports.copyObject({ source, target: quarantine, expectedSha256: content.sha256 });
  }
  const reason =
    quarantine === null
      ? `${rejection.reason} The object (${head.sizeBytes} bytes) is over the ${settings.maxObjectBytes}-byte cap, so it was left in the landing bucket; remove it there.`
      : rejection.reason;
  return commitRejection(notice, { code: rejection.code, reason, route: null, quarantine }, deps);
}

/** Refuse a routable object that is over the size cap, without reading it. It stays in the landing bucket. */
export async function rejectTooLarge(
  notice: S3ObjectCreated,
  route: LandingRoute,
  head: ObjectHead,
  deps: FileLandingDeps,
): Promise<RejectedOutcome> {
  const reason = `The file is ${head.sizeBytes} bytes, over the ${deps.settings.maxObjectBytes}-byte cap, and was not read. Ask the partner to split the delivery into smaller files.`;
  return commitRejection(notice, { code: 'OBJECT_TOO_LARGE', reason, route, quarantine: null }, deps);
}

async function commitRejection(
  notice: S3ObjectCreated,
  input: { code: RejectionCode; reason: string; route: LandingRoute | null; quarantine: ObjectRef | null },
  deps: FileLandingDeps,
): Promise<RejectedOutcome> {
  const { ports } = deps;
  const delivery = `${notice.bucket}/${notice.key}:${notice.etag ?? ''}:${notice.versionId ?? ''}`;
  const eventId = uuidFromSeed(`file-landing:rejected:${delivery}`);
  const event = createEvent(
    FileRejectedV1,
    {
      producer: 'file-landing',
      correlationId: `delivery_${digestOf(delivery).slice(0, 24)}`,
      causationId: notice.eventId,
      runId: runIdFrom(ports.newId()),
      eventId,
      occurredAt: ports.now().toISOString(),
    },
    {
      fileId: null,
      partner: input.route?.partner ?? null,
      dataset: input.route?.dataset ?? null,
      businessDate: input.route?.businessDate ?? null,
      schemaV: input.route?.schemaV ?? null,
      code: input.code,
      reason: input.reason,
      location: null,
      counts: { rowsIn: 0, valid: 0, quarantined: 0 },
      source: { bucket: notice.bucket, key: notice.key },
      quarantine: input.quarantine
        ? {
            bucket: input.quarantine.bucket,
            prefix: input.quarantine.key.slice(0, input.quarantine.key.lastIndexOf('/') + 1),
            parts: [input.quarantine.key],
          }
        : null,
    },
  );
  const result = await ports.commitRejection(event);
  return {
    outcome: 'rejected',
    code: input.code,
    eventId,
    alreadyRecorded: result === 'duplicate',
    quarantine: input.quarantine,
  };
}

/** UTC date of the notification (stable across retries), or of now if the event time is unreadable. */
function dateOf(time: string, now: Date): string {
  const parsed = new Date(time);
  return (Number.isNaN(parsed.getTime()) ? now : parsed).toISOString().slice(0, 10);
}
