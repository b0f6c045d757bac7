import type { ObjectRef } from '../../contracts/events/envelope.ts';
import { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import { containsCardNumber } from '../../lib/card-data/card-numbers.ts';
import { fileDayKeys } from '../../lib/file-registry/day-index.ts';
import {
  type FileRecord,
  fileIdOf,
  fileKey,
  type LandingKeyRecord,
  landingKeyKey,
} from '../../lib/file-registry/file-record.ts';
import { runIdFrom } from '../../lib/file-registry/run-record.ts';
import { createEvent } from '../../lib/outbox/event-factory.ts';
import { type ContentSummary, scanContent } from './content-scan.ts';
import {
  LandingKeyContentionError,
  LandingObjectMissingError,
  NoticeTimeInvalidError,
  UnexpectedBucketError,
} from './errors.ts';
import { type LandingRoute, parseLandingKey } from './landing-key.ts';
import { rawObjectKey, restrictedObjectKey } from './object-layout.ts';
import type { FileLandingDeps, PinnedObject } from './ports.ts';
import {
  quarantineUnroutable,
  type RejectedOutcome,
  rejectTooLarge,
  restrictCardNumberKey,
} from './rejections.ts';
import { deliveryIdempotencyKey, type S3ObjectCreated } from './s3-notification.ts';

export type LandedOutcome = {
  outcome: 'landed';
  fileId: string;
  runId: string;
  eventId: string;
  raw: ObjectRef;
  cardDataDetected: boolean;
  supersedesFileId: string | null;
};

/**
 * Known content delivered again: counted on the file record, no event. `counted: false` when it was the same upload
 * seen again (a replay), which is no new delivery.
 */
export type RedeliveredOutcome = {
  outcome: 'redelivered';
  fileId: string;
  detectedBy: 'registry' | 'concurrent-commit';
  counted: boolean;
};

/** What one delivery did. JSON-safe: Powertools stores it as the idempotency record's result. */
export type LandingOutcome = LandedOutcome | RedeliveredOutcome | RejectedOutcome;

const PRODUCER = 'file-landing';
/** Attempts to move a landing key that concurrent deliveries keep moving, before the delivery is retried. */
const LANDING_KEY_ATTEMPTS = 3;

/**
 * Land one object from the landing bucket.
 *
 * Primary course:
 * 0. A key holding a card number is moved to restricted/ and deleted from landing, never routed (see rejections.ts).
 * 1. Route the key through the allow-list; park and reject anything else (never to raw).
 * 2. Check the object's size against the cap before reading; reject oversized files unread.
 * 3. Stream it once: sha256, size, physical lines, card-number scan.
 * 4. fileId = f(sha256). Known content → count a redelivery; no event.
 * 5. Copy the pinned bytes to raw (or to restricted/ when card numbers were found), before any commit,
 *    so a FileLanded never points at a missing object.
 * 6. In one transaction: file record (if absent), landing-key record (if unchanged), FileLanded.
 *    A concurrent twin wins → count a redelivery; the key moved under us → re-read it and try again.
 * 7. Content holding card numbers: delete the partner's copy from landing (restricted/ holds it now).
 * An object already gone is a replay of a recorded upload (nothing to do) or a delivery to retry.
 */
export async function landFile(notice: S3ObjectCreated, deps: FileLandingDeps): Promise<LandingOutcome> {
  const { ports, settings } = deps;
  if (notice.bucket !== settings.landingBucket) {
    throw new UnexpectedBucketError(notice.bucket, settings.landingBucket);
  }

  // A card number in the key itself: nothing of the key may be copied, stored or announced in clear.
  if (containsCardNumber(notice.key)) return restrictCardNumberKey(notice, deps);

  const object = { bucket: notice.bucket, key: notice.key, versionId: notice.versionId };
  const upload = deliveryIdempotencyKey(notice, settings.panHmacKey);
  const routing = parseLandingKey(notice.key);
  const head = await ports.headObject(object);
  if (!head) {
    // Gone: a replay of an upload whose card data already left landing, or a delivery that vanished.
    if (!routing.ok) return quarantineUnroutable(notice, routing.rejection, null, deps);
    const seen = await ports.getUpload(upload);
    if (seen) return { outcome: 'redelivered', fileId: seen.fileId, detectedBy: 'registry', counted: false };
    const sibling = await redeliveryWhoseCopyWasRemoved(notice, upload, deps);
    if (sibling) return sibling;
    throw new LandingObjectMissingError(notice.bucket, notice.key);
  }
  const source: PinnedObject = { ...object, etag: head.etag };

  if (!routing.ok) return quarantineUnroutable(notice, routing.rejection, { source, head }, deps);
  const route = routing.route;
  if (head.sizeBytes > settings.maxObjectBytes) return rejectTooLarge(notice, route, head, deps);

  const content = await scanContent(ports.readObject(source), { expectedBytes: head.sizeBytes });
  const outcome = await registerContent({ notice, route, source, content, upload }, deps);
  // The partner's copy of card data leaves landing once restricted/ and the registry hold it (a crash before this
  // retries the delivery, which finds the file and deletes then). Later replays find the upload recorded.
  if (content.cardNumbers.count > 0) await ports.deleteObject(object);
  return outcome;
}

/** ETags as S3 notifications carry them: without the quotes HeadObject adds. */
const bareEtag = (etag: string) => etag.replaceAll('"', '');

/**
 * The notified upload is gone because landing itself removed it: two uploads of the same card-data bytes under one
 * key, and the earlier one's delivery, processed after the later upload, deleted the object (by key: the emulator
 * has no versions to pin). The landing key's record names those bytes by ETag, so this upload is a re-delivery of
 * that file, counted once like any other; anything else stays a missing object to retry.
 */
async function redeliveryWhoseCopyWasRemoved(
  notice: S3ObjectCreated,
  upload: string,
  deps: FileLandingDeps,
): Promise<RedeliveredOutcome | null> {
  const { ports } = deps;
  if (!notice.etag) return null;
  const previous = await ports.getLandingKey({ bucket: notice.bucket, key: notice.key });
  if (!previous?.etag || previous.etag !== bareEtag(notice.etag)) return null;
  const file = await ports.getFile(previous.fileId);
  if (!file?.cardDataDetected) return null;
  const counted = await ports.recordRedelivery({
    fileId: previous.fileId,
    landingKey: previous,
    at: landedAtOf(notice),
    upload,
  });
  return {
    outcome: 'redelivered',
    fileId: previous.fileId,
    detectedBy: 'registry',
    counted: counted === 'counted',
  };
}

/**
 * Steps 4-6 of `landFile` for scanned content: a known file counts a re-delivery; a new one is copied to raw (or
 * restricted/) and committed with its landing key and FileLanded.
 */
async function registerContent(
  input: {
    notice: S3ObjectCreated;
    route: LandingRoute;
    source: PinnedObject;
    content: ContentSummary;
    upload: string;
  },
  deps: FileLandingDeps,
): Promise<LandedOutcome | RedeliveredOutcome> {
  const { ports, settings } = deps;
  const { notice, route, source, content, upload } = input;
  const fileId = fileIdOf({ ...route, sha256: content.sha256 });
  const landedAt = landedAtOf(notice);
  const landingKey: LandingKeyRecord = {
    ...landingKeyKey(notice.bucket, notice.key),
    fileId,
    sha256: content.sha256,
    seenAt: landedAt,
    etag: bareEtag(source.etag),
  };

  if (await ports.getFile(fileId)) {
    const counted = await ports.recordRedelivery({ fileId, landingKey, at: landedAt, upload });
    return { outcome: 'redelivered', fileId, detectedBy: 'registry', counted: counted === 'counted' };
  }

  const cardDataDetected = content.cardNumbers.count > 0;
  const raw: ObjectRef = cardDataDetected
    ? { bucket: settings.quarantineBucket, key: restrictedObjectKey(route, fileId) }
    : { bucket: settings.rawBucket, key: rawObjectKey(route, fileId) };
  await ports.copyObject({ source, target: raw, expectedSha256: content.sha256 });

  const landed: Landed = { notice, route, content, fileId, raw, landedAt };
  for (let attempt = 1; attempt <= LANDING_KEY_ATTEMPTS; attempt += 1) {
    const previous = await ports.getLandingKey({ bucket: notice.bucket, key: notice.key });
    const supersedesFileId = previous && previous.fileId !== fileId ? previous.fileId : null;
    const { file, event } = buildLanding(landed, supersedesFileId, deps);
    const result = await ports.commitLanding({
      file,
      landingKey,
      expectedPreviousFileId: previous?.fileId ?? null,
      event,
      upload,
    });
    if (result === 'committed') {
      return {
        outcome: 'landed',
        fileId,
        runId: file.runId,
        eventId: event.eventId,
        raw,
        cardDataDetected,
        supersedesFileId,
      };
    }
    if (result === 'file-exists') {
      const counted = await ports.recordRedelivery({ fileId, landingKey, at: landedAt, upload });
      return {
        outcome: 'redelivered',
        fileId,
        detectedBy: 'concurrent-commit',
        counted: counted === 'counted',
      };
    }
  }
  throw new LandingKeyContentionError(notice.key, LANDING_KEY_ATTEMPTS);
}

type Landed = {
  notice: S3ObjectCreated;
  route: LandingRoute;
  content: ContentSummary;
  fileId: string;
  raw: ObjectRef;
  landedAt: string;
};

/**
 * When the partner's object landed: the S3 event's time, not when this function ran. Cut-off gates compare it, so
 * a delivery retried, re-driven from a DLQ or replayed from the archive hours later keeps its real landing time.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
function landedAtOf(notice: S3ObjectCreated): string {
  const at = Date.parse(notice.time);
  if (Number.isNaN(at)) throw new NoticeTimeInvalidError(notice.eventId, notice.time);
  return new Date(at).toISOString();
}

/** The FileLanded event and the file record it announces; the record remembers the event it was opened by. */
function buildLanding(landed: Landed, supersedesFileId: string | null, deps: FileLandingDeps) {
  const { notice, route, content, fileId, raw, landedAt } = landed;
  const processedAt = deps.ports.now().toISOString();
  const runId = runIdFrom(deps.ports.newId());
  const landing: ObjectRef = { bucket: notice.bucket, key: notice.key };
  const cardDataDetected = content.cardNumbers.count > 0;
  const event = createEvent(
    FileLandedV1,
    {
      producer: PRODUCER,
      correlationId: fileId,
      causationId: notice.eventId,
      runId,
      eventId: deps.ports.newId(),
      occurredAt: landedAt,
    },
    {
      fileId,
      sha256: content.sha256,
      sizeBytes: content.sizeBytes,
      lineCount: content.lineCount,
      partner: route.partner,
      dataset: route.dataset,
      businessDate: route.businessDate,
      fileName: route.fileName,
      landing,
      raw,
      cardDataDetected,
      supersedesFileId,
      schemaV: route.schemaV,
    },
  );
  const file: FileRecord = {
    ...fileKey(fileId),
    ...fileDayKeys({
      fileId,
      partner: route.partner,
      dataset: route.dataset,
      businessDate: route.businessDate,
    }),
    fileId,
    sha256: content.sha256,
    partner: route.partner,
    dataset: route.dataset,
    businessDate: route.businessDate,
    fileName: route.fileName,
    landing,
    raw,
    sizeBytes: content.sizeBytes,
    lineCount: content.lineCount,
    cardDataDetected,
    supersedesFileId,
    landedAt,
    runId,
    stage: 'LANDED',
    stageAt: processedAt,
    lastEventId: event.eventId,
    openShard: 'OPEN',
    // The watchdog's SLA runs from when work started here, not from the (possibly much earlier) S3 event.
    openSince: processedAt,
    redeliveries: 0,
    redrives: 0,
  };
  return { file, event };
}
