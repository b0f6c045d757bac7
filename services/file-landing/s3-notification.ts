import { z } from 'zod';
import { recordableKey } from './object-key-text.ts';

/** EventBridge `source` and `detail-type` of S3's object-created notification. */
export const S3_SOURCE = 'aws.s3';
export const OBJECT_CREATED = 'Object Created';

/**
 * `detail` of S3's "Object Created" EventBridge event. Unlike S3 → SQS/SNS/Lambda notifications, the key
 * arrives as stored, not URL-encoded, so it is used verbatim (and never decoded, which would alter `+`/`%`).
 * Extra fields AWS may add are accepted.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
export const S3ObjectCreatedDetailSchema = z.object({
  version: z.string().optional(),
  bucket: z.object({ name: z.string().min(1) }),
  object: z.object({
    key: z.string().min(1),
    size: z.number().int().nonnegative().optional(),
    etag: z.string().min(1).optional(),
    'version-id': z.string().min(1).optional(),
    sequencer: z.string().min(1).optional(),
  }),
  'request-id': z.string().optional(),
  requester: z.string().optional(),
  'source-ip-address': z.string().optional(),
  reason: z.string().optional(),
});

/** One object-created notification, as the use case takes it (JSON-safe: absent values are null). */
export type S3ObjectCreated = {
  /** EventBridge event id: the causation id of whatever this delivery produces. */
  eventId: string;
  time: string;
  bucket: string;
  key: string;
  size: number | null;
  etag: string | null;
  versionId: string | null;
  sequencer: string | null;
};

export type S3ObjectCreatedResult = { ok: true; notice: S3ObjectCreated } | { ok: false; problem: string };

/**
 * Validate an EventBridge event as an S3 Object Created notification.
 * @example readS3ObjectCreated(parseEventBridgeBody(record))
 */
export function readS3ObjectCreated(event: {
  id: string;
  source: string;
  'detail-type': string;
  time: string;
  detail: unknown;
}): S3ObjectCreatedResult {
  if (event.source !== S3_SOURCE || event['detail-type'] !== OBJECT_CREATED) {
    return {
      ok: false,
      problem: `expected ${S3_SOURCE} "${OBJECT_CREATED}", got ${event.source} "${event['detail-type']}"`,
    };
  }
  const detail = S3ObjectCreatedDetailSchema.safeParse(event.detail);
  if (!detail.success) return { ok: false, problem: `S3 Object Created detail: ${detail.error.message}` };
  const object = detail.data.object;
  return {
    ok: true,
    notice: {
      eventId: event.id,
      time: event.time,
      bucket: detail.data.bucket.name,
      key: object.key,
      size: object.size ?? null,
      etag: object.etag ?? null,
      versionId: object['version-id'] ?? null,
      sequencer: object.sequencer ?? null,
    },
  };
}

/**
 * Business identity of one delivery: the same PUT notified twice maps to one key, while a second PUT of
 * identical bytes is a new delivery (the registry then counts it as a re-delivery). The version id, or
 * S3's per-key sequencer, names the PUT; the ETag only names the bytes.
 * A key holding a card number is written masked with its keyed digest (`recordableKey`), never in clear.
 * @example deliveryIdempotencyKey(notice, hmacKey) // 'file-landing:landing-bucket/inbound/…/tx.csv:0062E1…'
 */
export function deliveryIdempotencyKey(notice: S3ObjectCreated, hmacKey: string): string {
  const version = notice.versionId ?? notice.sequencer ?? notice.etag ?? notice.eventId;
  return `file-landing:${notice.bucket}/${recordableKey(notice.key, hmacKey)}:${version}`;
}
