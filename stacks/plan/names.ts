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
  /** Firehose stream writing one zone of the bus event log (lib/event-log/layout.ts), its rule and its S3 role. */
  eventLogStream: (zone: 'main' | 'restricted') => `${zone === 'main' ? '' : 'Restricted'}EventLogStream`,
  eventLogRule: (zone: 'main' | 'restricted') => `${zone === 'main' ? '' : 'Restricted'}EventLogRule`,
  eventLogDeliveryRole: (zone: 'main' | 'restricted') =>
    `${zone === 'main' ? '' : 'Restricted'}EventLogDeliveryRole`,
  /** Where EventBridge parks events it could not put on a zone's stream (retries exhausted or denied). */
  eventLogDlq: (zone: 'main' | 'restricted') => `${zone === 'main' ? '' : 'Restricted'}EventLogDlq`,
  /** The role EventBridge assumes to put events on the event-log streams. */
  eventLogSendRole: () => 'EventLogSendRole',
  /** SSM parameter holding the stage document the CLI's `--stage` reads (lib/stage-resources/). */
  stageDocument: () => 'StageDocument',
  alarmTopic: () => 'OnCallTopic',
  schemaRegistry: () => 'EventSchemas',
  schema: (type: string, version: number) => `${type}V${version}Schema`,
  /** IAM role a partner assumes to deliver files into its landing prefix. */
  partnerRole: (partner: string) => `Partner${baseName(partner)}DeliveryRole`,
  /** Stage output holding that role's ARN, to hand to the partner. */
  partnerRoleOutput: (partner: string) => `partnerRole_${partner}`,
  /** Stage output naming the partners that have no delivery role on the stage (no principals configured). */
  partnersWithoutRoleOutput: () => 'partnersWithoutDeliveryRole',
} as const;
