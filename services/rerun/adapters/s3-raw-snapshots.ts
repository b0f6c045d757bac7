import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { RerunPorts } from '../ports.ts';

/**
 * Whether a file's raw snapshot is still there. The raw bucket is Object-Locked in AWS, but copies holding card
 * numbers live under the deletable `restricted/` prefix. Listed, not read: the rerun role may list the raw prefixes but
 * never read an object's bytes (topology `list` access), and a HeadObject without read access would answer 403 for a
 * missing key instead of 404. The exact key sorts first among the keys it prefixes.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
export function s3RawSnapshots(s3: S3Client): Pick<RerunPorts, 'rawExists'> {
  return {
    async rawExists(raw) {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: raw.bucket, Prefix: raw.key, MaxKeys: 1 }),
      );
      return listed.Contents?.[0]?.Key === raw.key;
    },
  };
}
