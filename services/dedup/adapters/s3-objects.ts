import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DedupError } from '../errors.ts';
import type { DedupObjects } from '../ports.ts';

const CONTENT_TYPES: Record<string, string> = {
  parquet: 'application/vnd.apache.parquet',
  jsonl: 'application/x-ndjson',
};

/** S3 as dedup uses it: whole silver parts in (bounded by their row count), finished parts out. */
export function s3Objects(s3: S3Client): DedupObjects {
  return {
    async getObject(ref) {
      const result = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      if (!result.Body)
        throw new DedupError(`s3://${ref.bucket}/${ref.key} returned no body; the record will be retried.`);
      return result.Body.transformToByteArray();
    },

    async putObject(ref, bytes) {
      const extension = ref.key.slice(ref.key.lastIndexOf('.') + 1);
      await s3.send(
        new PutObjectCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
          // S3 verifies the upload against this checksum.
          // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    },
  };
}
