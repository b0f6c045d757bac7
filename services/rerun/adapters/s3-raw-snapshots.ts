import { HeadObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { RerunPorts } from '../ports.ts';

/**
 * Whether a file's raw snapshot is still there: one HeadObject, no bytes read. The raw bucket is Object-Locked in AWS,
 * but copies holding card numbers live under the deletable `restricted/` prefix.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
 */
export function s3RawSnapshots(s3: S3Client): Pick<RerunPorts, 'rawExists'> {
  return {
    async rawExists(raw) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: raw.bucket, Key: raw.key }));
        return true;
      } catch (error) {
        // HeadObject has no body, so a missing key is a bare 404 (`NotFound`), not `NoSuchKey`.
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
        throw error;
      }
    },
  };
}
