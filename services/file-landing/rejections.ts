import type { ObjectRef } from '../../contracts/events/envelope.ts';
import { FileRejectedV1, type RejectionCode } from '../../contracts/events/file-rejected.ts';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import { runIdFrom } from '../../lib/file-registry/run-record.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import { scanContent } from './content-scan.ts';
import { digestOf, uuidFromSeed } from './ids.ts';
import type { LandingRoute, UnroutableKey } from './landing-key.ts';
import { recordableKey } from './object-key-text.ts';
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
 *    so a retry after the commit adds nothing (nor does a replay after the object is gone: `found` null).
 * 4. An object holding card numbers is then deleted from landing.
 */
export async function quarantineUnroutable(
  notice: S3ObjectCreated,
  rejection: UnroutableKey,
  found: { source: PinnedObject; head: ObjectHead } | null,
  deps: FileLandingDeps,
): Promise<RejectedOutcome> {
  const { ports, settings } = deps;
  let quarantine: ObjectRef | null = null;
  let cardData = false;
  if (found && found.head.sizeBytes <= settings.maxObjectBytes) {
    const content = await scanContent(ports.readObject(found.source), {
      expectedBytes: found.head.sizeBytes,
    });
    cardData = content.cardNumbers.count > 0;
    quarantine = {
      bucket: settings.quarantineBucket,
      key: unroutableObjectKey(dateOf(notice.time, ports.now()), content.sha256, cardData),
    };
    await ports.copyObject({ source: found.source, target: quarantine, expectedSha256: content.sha256 });
  }
  const reason =
    found === null
      ? `${rejection.reason} The object was no longer in the landing bucket.`
      : quarantine === null
        ? `${rejection.reason} The object (${found.head.sizeBytes} bytes) is over the ${settings.maxObjectBytes}-byte cap, so it was left in the landing bucket; remove it there.`
        : rejection.reason;
  const outcome = await commitRejection(
    notice,
    { code: rejection.code, reason, route: null, quarantine, sourceKey: notice.key },
    deps,
  );
  // Card data leaves landing once restricted/ holds it and the rejection is recorded.
  if (found && cardData) await ports.deleteObject(found.source);
  return outcome;
}

/**
 * Take an object whose key holds a card number out of reach, and announce it without the number.
 *
 * Primary course:
 * 1. Copy its bytes to `restricted/unroutable/<date>/<sha256>` (deletable, KMS, expiring), named by content;
 *    an object over the size cap is copied unread, named by a digest of the delivery.
 * 2. Commit FileRejected CARD_NUMBER_IN_OBJECT_KEY with the key masked plus its keyed digest (`recordableKey`),
 *    and an event id derived from that, so a retry or a replay adds nothing.
 * 3. Only then delete the object version from the landing bucket: a crash before it retries the copy (same key)
 *    and the commit (a duplicate); an object already gone (a replay after the delete) is committed as a duplicate.
 */
export async function restrictCardNumberKey(
  notice: S3ObjectCreated,
  deps: FileLandingDeps,
): Promise<RejectedOutcome> {
  const { ports, settings } = deps;
  const object = { bucket: notice.bucket, key: notice.key, versionId: notice.versionId };
  const sourceKey = recordableKey(notice.key, settings.panHmacKey);
  const head = await ports.headObject(object);
  let quarantine: ObjectRef | null = null;
  if (head) {
    const source: PinnedObject = { ...object, etag: head.etag };
    const withinCap = head.sizeBytes <= settings.maxObjectBytes;
    const sha256 = withinCap
      ? (await scanContent(ports.readObject(source), { expectedBytes: head.sizeBytes })).sha256
      : null;
    const objectId = sha256 ?? `delivery-${digestOf(`${sourceKey}:${head.etag}`)}`;
    quarantine = {
      bucket: settings.quarantineBucket,
      key: unroutableObjectKey(dateOf(notice.time, ports.now()), objectId, true),
    };
    await ports.copyObject({ source, target: quarantine, expectedSha256: sha256 });
  }
  const masked = maskCardNumbers(notice.key);
  const reason =
    quarantine === null
      ? `The object key holds a card number (${masked}); the object was no longer in the landing bucket. Tell the security officer (card data in a file name) and ask the partner to deliver under a name without card data.`
      : `The object key holds a card number (${masked}). The object was moved to ${quarantine.key} (restricted, expires) and deleted from the landing bucket. Tell the security officer (card data in a file name) and ask the partner to re-deliver under a name without card data.`;
  const outcome = await commitRejection(
    notice,
    { code: 'CARD_NUMBER_IN_OBJECT_KEY', reason, route: null, quarantine, sourceKey },
    deps,
  );
  if (head) await ports.deleteObject(object);
  return outcome;
}

/** Refuse a routable object that is over the size cap, without reading it. It stays in the landing bucket. */
export async function rejectTooLarge(
  notice: S3ObjectCreated,
  route: LandingRoute,
  head: ObjectHead,
  deps: FileLandingDeps,
): Promise<RejectedOutcome> {
  const reason = `The file is ${head.sizeBytes} bytes, over the ${deps.settings.maxObjectBytes}-byte cap, and was not read. Ask the partner to split the delivery into smaller files.`;
  return commitRejection(
    notice,
    { code: 'OBJECT_TOO_LARGE', reason, route, quarantine: null, sourceKey: notice.key },
    deps,
  );
}

async function commitRejection(
  notice: S3ObjectCreated,
  input: {
    code: RejectionCode;
    reason: string;
    route: LandingRoute | null;
    quarantine: ObjectRef | null;
    /** The key as it may be recorded: as received, or masked with its digest (`recordableKey`). */
    sourceKey: string;
  },
  deps: FileLandingDeps,
): Promise<RejectedOutcome> {
  const { ports } = deps;
  const delivery = `${notice.bucket}/${input.sourceKey}:${notice.etag ?? ''}:${notice.versionId ?? ''}`;
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
      source: { bucket: notice.bucket, key: input.sourceKey },
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
