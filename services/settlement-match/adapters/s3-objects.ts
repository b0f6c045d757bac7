import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { putPart } from '../../../lib/aws/s3-parts.ts';
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

    putObject: (ref, bytes) => putPart(s3, ref, bytes),
  };
}
