import { GetObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { writeObject } from '../../../lib/aws/write-object.ts';
import { ReadyPublisherError } from '../errors.ts';
import type { ReadyPorts } from '../ports.ts';

/**
 * S3 as ready-publisher uses it: unique parts in, gold objects out with `If-None-Match: *`, so an existing gold
 * key is never overwritten (412 → `exists`), whether the object goes in one PutObject or multipart (S3 checks the
 * header on CompleteMultipartUpload). fauxqs 2.4.1 ignores the header on both offline; the handler's published
 * check and the run id in every key keep replays from writing there.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
export function s3Gold(s3: S3Client, goldBucket: string): Pick<ReadyPorts, 'getObject' | 'putObjectOnce'> {
  return {
    async getObject(ref) {
      const result = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      if (!result.Body)
        throw new ReadyPublisherError(
          `s3://${ref.bucket}/${ref.key} returned no body; the record will be retried.`,
        );
      return result.Body.transformToByteArray();
    },

    async putObjectOnce(object) {
      try {
        await writeObject(s3, {
          Bucket: goldBucket,
          Key: object.key,
          Body: object.bytes,
          ContentType: object.contentType,
          IfNoneMatch: '*',
          // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
          ChecksumAlgorithm: 'SHA256',
        });
        return 'created';
      } catch (error) {
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412) return 'exists';
        throw error;
      }
    },
  };
}
