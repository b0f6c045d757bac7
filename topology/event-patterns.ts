import type { AwsEventSubscription, EventSubscription } from './types.ts';

/** The subset of EventBridge event patterns the topology needs: exact values, nested objects. */
export interface EventPattern {
  readonly [field: string]: readonly (string | number)[] | EventPattern;
}

/**
 * The EventBridge pattern of a subscription, one definition for the stack's rules and the local bus. Our events
 * match on detail-type and `detail.version`, so a new version is a new rule and old consumers never see it; S3
 * notifications match on source, detail-type and the physical bucket name (`bucketName`: derived offline, resolved
 * on a stage).
 * @example subscriptionPattern({ kind: 'event', type: 'FileLanded', version: 1 }, name)
 *   // { 'detail-type': ['FileLanded'], detail: { version: [1] } }
 */
export function subscriptionPattern<Bucket extends string>(
  subscription: EventSubscription | (Omit<AwsEventSubscription, 'bucket'> & { readonly bucket: Bucket }),
  bucketName: (bucket: Bucket) => string,
): EventPattern {
  if (subscription.kind === 'event') {
    return { 'detail-type': [subscription.type], detail: { version: [subscription.version] } };
  }
  return {
    source: [subscription.source],
    'detail-type': [subscription.detailType],
    detail: { bucket: { name: [bucketName(subscription.bucket)] } },
  };
}
