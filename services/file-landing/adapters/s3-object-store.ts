import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { CopyIntegrityError, LandingObjectMissingError } from '../errors.ts';
import type {
  CopyObject,
  DeleteObject,
  HeadObject,
  PinnedObject,
  ReadObject,
  SourceObject,
} from '../ports.ts';

/** S3 as file-landing uses it: head, stream and server-side copy of one pinned object version. */
export function s3ObjectStore(s3: S3Client) {
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
