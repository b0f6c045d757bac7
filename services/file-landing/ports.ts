import { MAX_PARTNER_FILE_BYTES } from '../../config/limits.ts';
import type { EventDetail, ObjectRef } from '../../contracts/events/envelope.ts';
import type { FileLandedV1 } from '../../contracts/events/file-landed.ts';
import type { FileRejectedV1 } from '../../contracts/events/file-rejected.ts';
import type { FileRecord, LandingKeyRecord } from '../../lib/file-registry/file-record.ts';

export type FileLandedDetail = EventDetail<typeof FileLandedV1>;
export type FileRejectedDetail = EventDetail<typeof FileRejectedV1>;

/** An object, pinned to a version when the bucket is versioned. */
export type SourceObject = ObjectRef & { versionId: string | null };

/** A source object pinned to the exact content that was checked (its ETag). */
export type PinnedObject = SourceObject & { etag: string };

export type ObjectHead = { sizeBytes: number; etag: string };

/** Size and ETag of an object; undefined when it does not exist. */
export type HeadObject = (object: SourceObject) => Promise<ObjectHead | undefined>;

/** The object's bytes as a stream, failing if the content no longer has the pinned ETag. */
export type ReadObject = (object: PinnedObject) => AsyncIterable<Uint8Array>;

/**
 * Server-side copy of exactly the pinned content to `target`. When `expectedSha256` is given and the store
 * reports a full-object SHA-256 of the copy, a mismatch fails the copy.
 */
export type CopyObject = (input: {
  source: PinnedObject;
  target: ObjectRef;
  expectedSha256: string | null;
}) => Promise<void>;

/** Delete exactly this object version (or the object, when the bucket keeps no versions). */
export type DeleteObject = (object: SourceObject) => Promise<void>;

export type GetFile = (fileId: string) => Promise<FileRecord | undefined>;

export type GetLandingKey = (landing: ObjectRef) => Promise<LandingKeyRecord | undefined>;

/**
 * What a landing commit found:
 * - `committed`: file record, landing-key record and FileLanded are in, together;
 * - `file-exists`: a concurrent twin registered the same content first; nothing was written;
 * - `landing-key-moved`: the landing key no longer points at `expectedPreviousFileId`; nothing was written.
 */
export type LandingCommitResult = 'committed' | 'file-exists' | 'landing-key-moved';

/** One transaction: put the file (if new), move the landing key (if unchanged since read), add the event. */
export type CommitLanding = (input: {
  file: FileRecord;
  landingKey: LandingKeyRecord;
  expectedPreviousFileId: string | null;
  event: FileLandedDetail;
  /** The S3 upload (PUT) being landed (`deliveryIdempotencyKey`), remembered so a replay of it is known later. */
  upload: string;
}) => Promise<LandingCommitResult>;

/**
 * Count one more delivery of known content, once per S3 upload: `already-seen` when this upload was landed or
 * counted before (an archive replay after the idempotency records expired). Records the landing key only if it
 * had no record yet.
 */
export type RecordRedelivery = (input: {
  fileId: string;
  landingKey: LandingKeyRecord;
  at: string;
  upload: string;
}) => Promise<'counted' | 'already-seen'>;

/** The S3 upload, if it was landed or counted before (its `UPLOAD#` item): which file it delivered. */
export type GetUpload = (upload: string) => Promise<{ fileId: string } | undefined>;

/** Commit a FileRejected through the outbox; `duplicate` when an event with its id already exists. */
export type CommitRejection = (event: FileRejectedDetail) => Promise<'committed' | 'duplicate'>;

/** Everything the file-landing use case needs from the world. */
export interface FileLandingPorts {
  headObject: HeadObject;
  readObject: ReadObject;
  copyObject: CopyObject;
  deleteObject: DeleteObject;
  getFile: GetFile;
  getLandingKey: GetLandingKey;
  commitLanding: CommitLanding;
  recordRedelivery: RecordRedelivery;
  getUpload: GetUpload;
  commitRejection: CommitRejection;
  now: () => Date;
  /** A fresh random UUID (event ids, run ids). */
  newId: () => string;
}

export interface FileLandingSettings {
  landingBucket: string;
  rawBucket: string;
  quarantineBucket: string;
  /** Objects above this size are refused before reading (OBJECT_TOO_LARGE); larger than 5 GiB are copied in parts. */
  maxObjectBytes: number;
  /** Secret PanHmacKey: digests of object keys that hold a card number (`recordableKey`). */
  panHmacKey: string;
}

export interface FileLandingDeps {
  ports: FileLandingPorts;
  settings: FileLandingSettings;
}

/** Default object-size cap, shared with schema-validate (config/limits.ts). */
export const DEFAULT_MAX_OBJECT_BYTES = MAX_PARTNER_FILE_BYTES;
