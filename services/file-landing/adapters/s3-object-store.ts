import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { MULTIPART_COPY_ABOVE_BYTES, MULTIPART_COPY_PART_BYTES } from '../../../config/limits.ts';
import { mapInFlight } from '../../../lib/async/map-in-flight.ts';
import { CopyIntegrityError, LandingObjectMissingError } from '../errors.ts';
import type {
  CopyObject,
  DeleteObject,
  HeadObject,
  PinnedObject,
  ReadObject,
  SourceObject,
} from '../ports.ts';

/** When a copy goes in parts, and how big they are (tests lower both). */
export interface CopySettings {
  readonly multipartAboveBytes: number;
  readonly partBytes: number;
}

const COPY_SETTINGS: CopySettings = {
  multipartAboveBytes: MULTIPART_COPY_ABOVE_BYTES,
  partBytes: MULTIPART_COPY_PART_BYTES,
};

/** Parts copied at once: S3 copies each server-side, so this bounds requests in flight, not bytes in memory. */
const PARTS_IN_FLIGHT = 4;

/** S3 as file-landing uses it: head, stream and server-side copy of one pinned object version. */
export function s3ObjectStore(s3: S3Client, copy: CopySettings = COPY_SETTINGS) {
  const headObject: HeadObject = async (object) => {
    try {
      const result = await s3.send(
        new HeadObjectCommand({
          Bucket: object.bucket,
          Key: object.key,
          VersionId: object.versionId ?? undefined,
        }),
      );
      return { sizeBytes: result.ContentLength ?? 0, etag: result.ETag ?? '' };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  const readObject: ReadObject = (object) => ({
    async *[Symbol.asyncIterator]() {
      const result = await s3.send(
        new GetObjectCommand({
          Bucket: object.bucket,
          Key: object.key,
          VersionId: object.versionId ?? undefined,
          // Fails with 412 if the object was replaced since HeadObject: the delivery is retried on the new bytes.
          IfMatch: object.etag || undefined,
        }),
      );
      if (!result.Body) throw new LandingObjectMissingError(object.bucket, object.key);
      // In Node the body is a Readable: iterating it streams with back-pressure, never buffering the object.
      yield* result.Body as AsyncIterable<Uint8Array>;
    },
  });

  const copyObject: CopyObject = async ({ source, target, expectedSha256 }) => {
    const sizeBytes = (await headObject(source))?.sizeBytes;
    if (sizeBytes === undefined) throw new LandingObjectMissingError(source.bucket, source.key);
    // CopyObject takes at most 5 GiB; larger files are copied in parts. A multipart copy has no full-object
    // SHA-256, so its integrity rests on schema-validate, which hashes the raw copy against the registered digest.
    if (sizeBytes > copy.multipartAboveBytes) return copyInParts(s3, { source, target, sizeBytes }, copy);
    const result = await s3.send(
      new CopyObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        CopySource: copySource(source),
        // Copies exactly the bytes that were hashed, or fails (412) if the object changed since.
        CopySourceIfMatch: source.etag || undefined,
        // S3 computes a full-object SHA-256 of the copy, compared below with the hash of what we read.
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const checksum = result.CopyObjectResult?.ChecksumSHA256;
    if (
      expectedSha256 &&
      checksum &&
      result.CopyObjectResult?.ChecksumType !== 'COMPOSITE' &&
      !checksum.includes('-')
    ) {
      const actual = Buffer.from(checksum, 'base64').toString('hex');
      if (actual !== expectedSha256) throw new CopyIntegrityError(target, expectedSha256, actual);
    }
  };

  const deleteObject: DeleteObject = async (object) => {
    await s3.send(
      new DeleteObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        // With a version id the version itself goes, not just behind a delete marker.
        VersionId: object.versionId ?? undefined,
      }),
    );
  };

  return { headObject, readObject, copyObject, deleteObject };
}

/**
 * `x-amz-copy-source` must be URL-encoded; each key segment is encoded so hostile keys copy byte for byte.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 * @example copySource({ bucket: 'b', key: 'a b/c+d.csv', versionId: null, etag: '' }) // 'b/a%20b/c%2Bd.csv'
 */
export function copySource(source: SourceObject | PinnedObject): string {
  const key = source.key.split('/').map(encodeURIComponent).join('/');
  const version = source.versionId ? `?versionId=${encodeURIComponent(source.versionId)}` : '';
  return `${source.bucket}/${key}${version}`;
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey')
  );
}

/**
 * Server-side multipart copy (UploadPartCopy), every part pinned to the source's ETag; an incomplete upload is
 * aborted on failure (and the buckets' lifecycle aborts any a crash leaves).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
 */
async function copyInParts(
  s3: S3Client,
  input: { source: PinnedObject; target: { bucket: string; key: string }; sizeBytes: number },
  copy: CopySettings,
): Promise<void> {
  const { source, target, sizeBytes } = input;
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: target.key }),
  );
  if (!UploadId)
    throw new Error(`S3 started no multipart upload for s3://${target.bucket}/${target.key}; retried.`);
  const ranges = Array.from({ length: Math.ceil(sizeBytes / copy.partBytes) }, (_, index) => ({
    partNumber: index + 1,
    first: index * copy.partBytes,
    last: Math.min(sizeBytes, (index + 1) * copy.partBytes) - 1,
  }));
  try {
    const { results: etags } = await mapInFlight(ranges, PARTS_IN_FLIGHT, async (range) => {
      const { CopyPartResult } = await s3.send(
        new UploadPartCopyCommand({
          Bucket: target.bucket,
          Key: target.key,
          UploadId,
          PartNumber: range.partNumber,
          CopySource: copySource(source),
          CopySourceRange: `bytes=${range.first}-${range.last}`,
          CopySourceIfMatch: source.etag || undefined,
        }),
      );
      return CopyPartResult?.ETag ?? '';
    });
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId,
        MultipartUpload: {
          Parts: ranges.map((range, index) => ({ PartNumber: range.partNumber, ETag: etags[index] })),
        },
      }),
    );
  } catch (error) {
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId }))
      .catch(() => {});
    throw error;
  }
}
