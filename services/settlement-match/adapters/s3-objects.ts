import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SettlementMatchError } from '../errors.ts';
import type { MatchObjects } from '../ports.ts';

/** S3 as settlement-match uses it: whole unique parts in (bounded by dedup's part size), result parts out. */
export function s3Objects(s3: S3Client): MatchObjects {
  return {
    async getObject(ref) {
      const result = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      if (!result.Body)
        throw new SettlementMatchError(
          `s3://${ref.bucket}/${ref.key} returned no body; the record will be retried.`,
        );
      return result.Body.transformToByteArray();
    },

    async putObject(ref, bytes) {
      await s3.send(
        new PutObjectCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: 'application/x-ndjson',
          // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    },
  };
}
