import { linkNames } from '../../topology/names.ts';
import type { BucketName, Subscription, TableName } from '../../topology/types.ts';

/**
 * PascalCase base of a topology name, taken from `linkNames` so that component names, link names
 * and handler `Resource.<Name>` keys follow one convention.
 * @example baseName('schema-validate') // 'SchemaValidate'
 */
export function baseName(name: string): string {
  return linkNames.queue(name).slice(0, -'Queue'.length);
}

/** Words of an AWS detail-type as one PascalCase token: `Object Created` → `ObjectCreated`. */
function token(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * Component names of every resource the stacks declare. Tables, buckets, queues, DLQs and the bus
 * use `linkNames` (they are linked to handlers); the rest are only component names.
 */
export const names = {
  ...linkNames,
  function: (unit: string) => `${baseName(unit)}Function`,
  /** EventBridge rule-target DLQ of one service: events the bus could not deliver to its queue. */
  deliveryDlq: (service: string) => `${baseName(service)}DeliveryDlq`,
  rule: (service: string, subscription: Subscription) =>
    subscription.kind === 'event'
      ? `${baseName(service)}On${subscription.type}V${subscription.version}Rule`
      : `${baseName(service)}On${linkNames.bucket(subscription.bucket as BucketName)}${token(subscription.detailType)}Rule`,
  tableKey: (table: TableName) => `${linkNames.table(table)}Key`,
  bucketKey: (bucket: BucketName) => `${linkNames.bucket(bucket)}Key`,
  messagingKey: () => 'MessagingKey',
  archive: () => 'BusArchive',
  /** Archive of the AWS-native events finledger consumes from the default bus (S3 notifications of landing). */
  notificationArchive: () => 'NotificationArchive',
  alarmTopic: () => 'OnCallTopic',
  schemaRegistry: () => 'EventSchemas',
  schema: (type: string, version: number) => `${type}V${version}Schema`,
} as const;
