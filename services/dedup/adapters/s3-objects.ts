import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { putPart } from '../../../lib/aws/s3-parts.ts';
import { DedupError } from '../errors.ts';
import type { DedupObjects } from '../ports.ts';

/** S3 as dedup uses it: whole silver parts and history segments in, finished parts and segments out. */
export function s3Objects(s3: S3Client): DedupObjects {
  return {
    async getObject(ref) {
      const result = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      if (!result.Body)
        throw new DedupError(`s3://${ref.bucket}/${ref.key} returned no body; the record will be retried.`);
      return result.Body.transformToByteArray();
    },

    putObject: (ref, bytes) => putPart(s3, ref, bytes),
  };
}
