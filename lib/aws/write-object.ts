import { Readable } from 'node:stream';
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/**
 * Bodies up to this size are written with one PutObject; larger ones as a multipart upload of parts this size.
 * 8 MiB is the AWS CLI's default `multipart_threshold` and `multipart_chunksize`: above S3's 5 MiB minimum part,
 * far below its 5 GiB single-PUT limit, and below the ~11 MiB request body fauxqs accepts offline (INTEGRITY-NOTES),
 * so the same object takes the same path offline and in AWS. 10,000 parts of 8 MiB allow 78 GiB per object.
 * @see https://docs.aws.amazon.com/cli/latest/topic/s3-config.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
 */
export const MULTIPART_PART_BYTES = 8 * 1024 ** 2;

/** Parts uploaded at once: memory stays near (queue + 1) × part size (~40 MiB) whatever the object's size. */
export const MULTIPART_QUEUE_SIZE = 4;

/** Bytes in memory, or a stream of unknown length (a file on disk, a generated body). */
export type ObjectBody = Uint8Array | Readable | AsyncIterable<Uint8Array>;

/**
 * What callers pass to PutObject today (ContentType, ServerSideEncryption and SSEKMSKeyId, ChecksumAlgorithm,
 * IfNoneMatch, metadata), with any body. Precomputed checksums and ContentLength describe one whole body, which a
 * part is not: pass `ChecksumAlgorithm` and the SDK computes one per request.
 */
export type ObjectWrite = Omit<
  PutObjectCommandInput,
  | 'Body'
  | 'ContentLength'
  | 'ContentMD5'
  | 'ChecksumCRC32'
  | 'ChecksumCRC32C'
  | 'ChecksumCRC64NVME'
  | 'ChecksumSHA1'
  | 'ChecksumSHA256'
> & { readonly Body: ObjectBody };

/** How the object was written. */
export type WriteMethod = 'put' | 'multipart';

/**
 * Write one object: a single PutObject up to {@link MULTIPART_PART_BYTES}, a multipart upload (`@aws-sdk/lib-storage`)
 * above it. A stream is read one part ahead, so a stream that ends within the first part is one PutObject too.
 * A failed multipart upload is aborted (`leavePartsOnError: false`), so no stored parts are left to pay for.
 *
 * `IfNoneMatch: '*'` holds either way: lib-storage sends it with CompleteMultipartUpload, which S3 refuses with 412
 * when the key exists (and 409 on a concurrent conflicting write).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 * @example await writeObject(s3, { Bucket: bucket, Key: 'inbound/acme-bank/…/file.csv', Body: createReadStream(path) })
 */
export async function writeObject(s3: S3Client, write: ObjectWrite): Promise<WriteMethod> {
  const { Body: body, ...params } = write;
  if (body instanceof Uint8Array && body.byteLength <= MULTIPART_PART_BYTES) {
    await s3.send(new PutObjectCommand({ ...params, Body: body, ContentLength: body.byteLength }));
    return 'put';
  }
  const upload = new Upload({
    client: s3,
    params: {
      ...params,
      Body: body instanceof Uint8Array || body instanceof Readable ? body : Readable.from(body),
    },
    partSize: MULTIPART_PART_BYTES,
    queueSize: MULTIPART_QUEUE_SIZE,
    leavePartsOnError: false,
  });
  await upload.done();
  return upload.uploadId ? 'multipart' : 'put';
}
