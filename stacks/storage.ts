import type { BucketName } from '../topology/types.ts';
import type { Keys } from './keys.ts';
import { lookup } from './lookup.ts';
import {
  ABORT_CARD_DATA_MULTIPART_AFTER_DAYS,
  ABORT_MULTIPART_AFTER_DAYS,
  type BucketPlan,
} from './plan/storage.ts';

export type Buckets = Readonly<Record<BucketName, sst.aws.Bucket>>;

/**
 * S3 buckets. SST's Bucket blocks public access and, with `enforceHttps`, writes the bucket policy
 * that denies requests without TLS (`aws:SecureTransport` false); the rest is added here: default
 * SSE-KMS with the bucket's key, Object Lock on raw in production, lifecycle (card data expires after the
 * stage's retention, the event log with the bus archive), EventBridge notifications on landing.
 */
export function createBuckets(plans: readonly BucketPlan[], keys: Keys): Buckets {
  return Object.fromEntries(
    plans.map((plan) => {
      const key = lookup(keys, plan.key, 'KMS key');
      const bucket = new sst.aws.Bucket(
        plan.name,
        {
          versioning: plan.versioning,
          enforceHttps: true,
          // Only Lambda and partners' SDKs reach these buckets; no browser origin is allowed.
          cors: false,
          transform: {
            bucket: (args, opts) => {
              // SST defaults forceDestroy to true; production objects must survive a mistaken remove.
              args.forceDestroy = !plan.protect;
              // Object Lock can only be switched on when the bucket is created.
              if (plan.objectLock) args.objectLockEnabled = true;
              opts.protect = plan.protect;
              opts.retainOnDelete = plan.protect;
            },
            publicAccessBlock: (args) => {
              args.blockPublicAcls = true;
              args.blockPublicPolicy = true;
              args.ignorePublicAcls = true;
              args.restrictPublicBuckets = true;
            },
          },
        },
        { protect: plan.protect, retainOnDelete: plan.protect },
      );
      new aws.s3.BucketServerSideEncryptionConfiguration(`${plan.name}Encryption`, {
        bucket: bucket.name,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn },
            // S3 Bucket Keys cut KMS requests (and cost) by reusing a bucket-level data key.
            bucketKeyEnabled: true,
          },
        ],
      });
      if (plan.objectLock) {
        new aws.s3.BucketObjectLockConfiguration(
          `${plan.name}ObjectLock`,
          {
            bucket: bucket.name,
            objectLockEnabled: 'Enabled',
            rule: { defaultRetention: { mode: plan.objectLock.mode, years: plan.objectLock.years } },
          },
          // Retained with the bucket: removing the configuration would end the default retention.
          { protect: plan.protect, retainOnDelete: plan.protect },
        );
      }
      new aws.s3.BucketLifecycleConfiguration(`${plan.name}Lifecycle`, {
        bucket: bucket.name,
        rules: [
          {
            id: 'abort-incomplete-multipart-uploads',
            status: 'Enabled',
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_AFTER_DAYS },
          },
          ...cardDataRules(plan),
          ...archiveCopyRules(plan),
          ...(plan.coldAfterDays === null
            ? []
            : [
                {
                  id: 'colder-storage',
                  status: 'Enabled',
                  filter: {},
                  transitions: [{ days: plan.coldAfterDays, storageClass: 'GLACIER_IR' }],
                },
              ]),
        ],
      });
      if (plan.eventBridgeNotifications) {
        new aws.s3.BucketNotification(`${plan.name}Notifications`, {
          bucket: bucket.name,
          eventbridge: true,
        });
      }
      return [plan.bucket, bucket];
    }),
  ) as Record<BucketName, sst.aws.Bucket>;
}

/**
 * Per prefix of archive copies (the event log): delete objects when the bus archive would have dropped their events,
 * so `finledger replay --dry-run` never counts what a replay can no longer send. None when the archive keeps
 * events indefinitely.
 */
function archiveCopyRules(plan: BucketPlan) {
  const days = plan.archiveCopies?.expireAfterDays;
  if (!plan.archiveCopies || days === null || days === undefined) return [];
  return plan.archiveCopies.prefixes.map((prefix) => ({
    id: `expire-with-archive-${prefix.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`,
    status: 'Enabled',
    filter: { prefix },
    expiration: { days },
  }));
}

/**
 * Per card-data prefix: delete objects `retentionDays` after creation, older versions as many days after they
 * stopped being current, and unfinished uploads after a day. Where these overlap the bucket-wide abort rule, S3
 * honours the shorter expiry. S3 rounds each to the next midnight UTC and deletes asynchronously, so an object can
 * outlive its retention by up to a day or two.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-conflicts.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
 */
function cardDataRules(plan: BucketPlan) {
  if (!plan.cardData) return [];
  const { retentionDays } = plan.cardData;
  return plan.cardData.prefixes.map((prefix) => ({
    id: `expire-card-data-${prefix.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`,
    status: 'Enabled',
    filter: { prefix },
    expiration: { days: retentionDays },
    noncurrentVersionExpiration: { noncurrentDays: retentionDays },
    abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_CARD_DATA_MULTIPART_AFTER_DAYS },
  }));
}
