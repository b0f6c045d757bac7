import type { BucketAccess, BucketName, TableName } from '../../topology/types.ts';
import type { FunctionSpec } from './functions.ts';
import { names } from './names.ts';

/** A resource an IAM statement names, resolved to an ARN by the stacks. */
export type ResourceRef =
  | { readonly kind: 'table'; readonly table: TableName; readonly suffix: '' | '/index/*' | '/stream/*' }
  /** `path` null is the bucket itself (ListBucket); otherwise an object key pattern. */
  | { readonly kind: 'bucket'; readonly bucket: BucketName; readonly path: string | null }
  | { readonly kind: 'queue'; readonly queue: string }
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'bus' };

export interface ConditionSpec {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface StatementSpec {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly ResourceRef[];
  readonly conditions?: readonly ConditionSpec[];
}

/** Item-level access; Transact* calls are authorised per item action. No Scan, no table admin. */
export const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** What Lambda's DynamoDB event source needs, on the stream only. */
export const STREAM_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
] as const;

/** What Lambda's SQS event source needs on the consumed queue. */
export const QUEUE_CONSUMER_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
] as const;

/**
 * What sending work units needs: SendMessageBatch is authorised by `sqs:SendMessage` (IAM has no action of its own
 * for it).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
 */
export const QUEUE_SENDER_ACTIONS = ['sqs:SendMessage'] as const;

const READ_OBJECT_ACTIONS = ['s3:GetObject'] as const;
/** Multipart uploads (large copies) need AbortMultipartUpload to clean up after a failure. */
const WRITE_OBJECT_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload'] as const;

/**
 * KMS use is allowed only through the service that owns the data, so a role cannot decrypt
 * ciphertext it obtained some other way.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
function viaService(service: 'dynamodb' | 's3' | 'sqs'): ConditionSpec {
  return { test: 'StringLike', variable: 'kms:ViaService', values: [`${service}.*.amazonaws.com`] };
}

function reads(access: BucketAccess): boolean {
  return access.mode === 'read' || access.mode === 'readwrite';
}

function writes(access: BucketAccess): boolean {
  return access.mode === 'write' || access.mode === 'readwrite';
}

/** Listing comes with reading, or alone (`list`): it never returns an object's bytes. */
function lists(access: BucketAccess): boolean {
  return access.mode !== 'write';
}

function objectPaths(access: BucketAccess): string[] {
  return access.prefixes?.length ? access.prefixes.map((prefix) => `${prefix}*`) : ['*'];
}

function bucketStatements(bucket: BucketName, access: BucketAccess): StatementSpec[] {
  const id = names.bucket(bucket);
  const objects = objectPaths(access).map((path): ResourceRef => ({ kind: 'bucket', bucket, path }));
  const statements: StatementSpec[] = [];
  if (reads(access)) {
    statements.push({ sid: `Read${id}`, actions: READ_OBJECT_ACTIONS, resources: objects });
  }
  if (lists(access)) {
    statements.push({
      sid: `List${id}`,
      actions: ['s3:ListBucket'],
      resources: [{ kind: 'bucket', bucket, path: null }],
      conditions: [{ test: 'StringLike', variable: 's3:prefix', values: objectPaths(access) }],
    });
  }
  if (writes(access)) {
    statements.push({ sid: `Write${id}`, actions: WRITE_OBJECT_ACTIONS, resources: objects });
  }
  if (access.deletes) {
    // Deleting one version (not just adding a delete marker) needs s3:DeleteObjectVersion.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
    statements.push({
      sid: `Delete${id}`,
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: objects,
    });
  }
  // Keys only: listing needs no key (SSE-KMS protects the bytes, not the key names).
  if (access.mode === 'list') return statements;
  statements.push({
    sid: `Key${id}`,
    // SSE-KMS writes need GenerateDataKey, and Decrypt for multipart uploads.
    actions: writes(access) ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
    resources: [{ kind: 'key', key: names.bucketKey(bucket) }],
    conditions: [viaService('s3')],
  });
  return statements;
}

function tableStatements(table: TableName): StatementSpec[] {
  const id = names.table(table);
  return [
    {
      sid: id,
      actions: TABLE_ACTIONS,
      resources: [
        { kind: 'table', table, suffix: '' },
        { kind: 'table', table, suffix: '/index/*' },
      ],
    },
    {
      sid: `Key${id}`,
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [{ kind: 'key', key: names.tableKey(table) }],
      conditions: [viaService('dynamodb')],
    },
  ];
}

function triggerStatements(spec: FunctionSpec): StatementSpec[] {
  const messagingKey: ResourceRef = { kind: 'key', key: names.messagingKey() };
  const trigger = spec.trigger;
  switch (trigger.kind) {
    case 'queue':
      return [
        {
          sid: 'ConsumeQueue',
          actions: QUEUE_CONSUMER_ACTIONS,
          resources: [{ kind: 'queue', queue: trigger.queue }],
        },
        {
          sid: 'DecryptQueue',
          actions: ['kms:Decrypt'],
          resources: [messagingKey],
          conditions: [viaService('sqs')],
        },
      ];
    case 'stream':
      return [
        {
          sid: 'ReadStream',
          actions: STREAM_ACTIONS,
          resources: [{ kind: 'table', table: trigger.table, suffix: '/stream/*' }],
        },
        // Lambda sends the on-failure record with the function's own role.
        {
          sid: 'SendOnFailure',
          actions: ['sqs:SendMessage'],
          resources: [{ kind: 'queue', queue: trigger.onFailure }],
        },
        {
          sid: 'EncryptOnFailure',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [messagingKey],
          conditions: [viaService('sqs')],
        },
      ];
    case 'schedule':
      // The scheduler's own role invokes the function and writes its DLQ; the function needs nothing.
      return [];
    case 'invoke':
      // The operator's own credentials invoke it; the function needs nothing for that.
      return [];
  }
}

/** Send to the unit queues the function feeds; SSE-KMS sends need a data key of the messaging key. */
function unitSendStatements(spec: FunctionSpec): StatementSpec[] {
  if (spec.sendsTo.length === 0) return [];
  return [
    {
      sid: 'SendUnits',
      actions: QUEUE_SENDER_ACTIONS,
      resources: spec.sendsTo.map((queue): ResourceRef => ({ kind: 'queue', queue })),
    },
    {
      sid: 'EncryptUnits',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [{ kind: 'key', key: names.messagingKey() }],
      conditions: [viaService('sqs')],
    },
  ];
}

/**
 * The complete IAM policy of one function: its trigger, the unit queues it sends to, the tables and bucket prefixes
 * its topology entry declares (in the declared mode), the keys of exactly those, and PutEvents for the relay.
 * Nothing uses `*` actions or resources.
 */
export function planStatements(spec: FunctionSpec): StatementSpec[] {
  return [
    ...triggerStatements(spec),
    ...unitSendStatements(spec),
    ...spec.tables.flatMap(tableStatements),
    ...(Object.entries(spec.buckets) as [BucketName, BucketAccess][]).flatMap(([bucket, access]) =>
      bucketStatements(bucket, access),
    ),
    ...(spec.publishesToBus
      ? [{ sid: 'PublishEvents', actions: ['events:PutEvents'], resources: [{ kind: 'bus' }] } as const]
      : []),
  ];
}
