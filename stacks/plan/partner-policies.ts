import type { PartnerRolePlan } from './partner-access.ts';
import type { PolicyDocument } from './policies.ts';

/** What a delivery policy names, resolved by the stack inside its `apply`. */
export interface DeliveryTargets {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly region: string;
  /** `amazonaws.com`, or the partition's own (`amazonaws.com.cn`). */
  readonly dnsSuffix: string;
}

/** Multipart uploads (large files) need Abort and ListMultipartUploadParts on the same keys. */
export const DELIVERY_OBJECT_ACTIONS = [
  's3:PutObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
] as const;

/**
 * An SSE-KMS upload needs kms:GenerateDataKey with the caller's credentials, and a multipart one kms:Decrypt too (S3
 * decrypts the data key for each part); kms:Encrypt is not used, so the role does not get it.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 */
export const DELIVERY_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/**
 * Trust policy: only the partner's configured principals, and only with its external id.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
 */
export function partnerTrustPolicy(role: PartnerRolePlan): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PartnerAssumesWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: [...role.principals] },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': role.externalId } },
      },
    ],
  };
}

/**
 * Delivery policy: put (single or multipart) and list under the partner's own prefix, and the landing key through S3
 * in this region only. No read, no delete, nothing outside the prefix. Uploads without encryption headers get the
 * bucket's default SSE-KMS (stacks/storage.ts); the condition refuses uploads that ask for another encryption (SSE-S3,
 * the account's aws/s3 key), which default encryption would honour.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
 */
export function partnerDeliveryPolicy(role: PartnerRolePlan, targets: DeliveryTargets): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PutUnderOwnPrefix',
        Effect: 'Allow',
        Action: [...DELIVERY_OBJECT_ACTIONS],
        Resource: `${targets.bucketArn}/${role.prefix}*`,
        Condition: {
          StringEqualsIfExists: {
            's3:x-amz-server-side-encryption': 'aws:kms',
            's3:x-amz-server-side-encryption-aws-kms-key-id': targets.keyArn,
          },
        },
      },
      {
        // ListObjectsV2 without a prefix (the whole bucket) carries no s3:prefix and is refused.
        Sid: 'ListOwnPrefix',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: targets.bucketArn,
        Condition: { StringLike: { 's3:prefix': `${role.prefix}*` } },
      },
      {
        Sid: 'LandingKeyThroughS3',
        Effect: 'Allow',
        Action: [...DELIVERY_KEY_ACTIONS],
        Resource: targets.keyArn,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${targets.region}.${targets.dnsSuffix}` } },
      },
    ],
  };
}
