import type { BucketName, BucketSpec, KeySpec, TableName, Topology } from '../../topology/types.ts';
import type { StageConfig } from '../stage-config.ts';
import { names } from './names.ts';
import { TopologyRuleError } from './queues.ts';

type SstField = 'string' | 'number';
type SstIndex = { readonly hashKey: string; readonly rangeKey?: string };

/** One DynamoDB table, in the shape `sst.aws.Dynamo` takes. Always on-demand, PITR and a CMK. */
export interface TablePlan {
  readonly name: string;
  readonly table: TableName;
  readonly key: string;
  readonly fields: Readonly<Record<string, SstField>>;
  readonly primaryIndex: SstIndex;
  readonly globalIndexes: Readonly<Record<string, SstIndex>>;
  readonly ttl?: string;
  readonly stream?: 'new-image' | 'new-and-old-images';
  readonly pointInTimeRecovery: true;
  /** Production: Pulumi `protect`, retained on remove, DynamoDB deletion protection. */
  readonly protect: boolean;
}

/** One S3 bucket. Every bucket blocks public access, encrypts with its own CMK and denies non-TLS. */
export interface BucketPlan {
  readonly name: string;
  readonly bucket: BucketName;
  readonly key: string;
  readonly versioning: boolean;
  readonly objectLock: StageConfig['objectLock'];
  readonly eventBridgeNotifications: boolean;
  /** Days before objects move to S3 Glacier Instant Retrieval (still readable for a replay), or null. */
  readonly coldAfterDays: number | null;
  /**
   * Prefixes holding card numbers (the topology's `cardDataPrefixes`) and the stage's retention: their objects,
   * older versions and unfinished multipart uploads are deleted by lifecycle rules. Null when the bucket has none.
   */
  readonly cardData: { readonly prefixes: readonly string[]; readonly retentionDays: number } | null;
  /**
   * Prefixes holding copies of the bus archive's events (the topology's `archiveRetentionPrefixes`) and the days
   * their objects live: the archive's retention, or null to keep them as the archive does, indefinitely.
   */
  readonly archiveCopies: {
    readonly prefixes: readonly string[];
    readonly expireAfterDays: number | null;
  } | null;
  readonly protect: boolean;
}

/** A customer-managed KMS key, and the AWS services its key policy lets use it. */
export interface KeyPlan {
  readonly name: string;
  readonly description: string;
  readonly servicePrincipals: readonly string[];
  readonly protect: boolean;
}

/** Incomplete multipart uploads are billed until aborted. */
export const ABORT_MULTIPART_AFTER_DAYS = 7;
/** Parts of an unfinished upload under a card-data prefix hold card numbers too; no upload runs for a day. */
export const ABORT_CARD_DATA_MULTIPART_AFTER_DAYS = 1;

/** A topology that would store card numbers where they cannot be deleted or are not declared. */
export class CardDataPlacementError extends Error {}

function field(key: KeySpec): [string, SstField] {
  return [key.name, key.type === 'S' ? 'string' : 'number'];
}

function index(partitionKey: KeySpec, sortKey?: KeySpec): SstIndex {
  return sortKey ? { hashKey: partitionKey.name, rangeKey: sortKey.name } : { hashKey: partitionKey.name };
}

export function planTables(topology: Topology, config: StageConfig): TablePlan[] {
  return topology.tables.map((table) => {
    const keys = [
      table.partitionKey,
      table.sortKey,
      ...table.indexes.flatMap((gsi) => [gsi.partitionKey, gsi.sortKey]),
    ];
    return {
      name: names.table(table.name),
      table: table.name,
      key: names.tableKey(table.name),
      fields: Object.fromEntries(keys.filter((key): key is KeySpec => key !== undefined).map(field)),
      primaryIndex: index(table.partitionKey, table.sortKey),
      globalIndexes: Object.fromEntries(
        table.indexes.map((gsi) => [gsi.name, index(gsi.partitionKey, gsi.sortKey)]),
      ),
      ...(table.ttlAttribute ? { ttl: table.ttlAttribute } : {}),
      ...(table.stream ? { stream: table.stream === 'NEW_IMAGE' ? 'new-image' : 'new-and-old-images' } : {}),
      pointInTimeRecovery: true,
      protect: config.production,
    };
  });
}

export function planBuckets(topology: Topology, config: StageConfig): BucketPlan[] {
  return topology.buckets.map((bucket) => ({
    cardData: cardDataOf(bucket, config),
    archiveCopies: archiveCopiesOf(bucket, config),
    name: names.bucket(bucket.name),
    bucket: bucket.name,
    key: names.bucketKey(bucket.name),
    versioning: bucket.immutable,
    objectLock: bucket.immutable ? config.objectLock : null,
    eventBridgeNotifications: bucket.eventBridgeNotifications,
    coldAfterDays: bucket.immutable ? config.rawColdAfterDays : null,
    protect: config.production,
  }));
}

function cardDataOf(bucket: BucketSpec, config: StageConfig): BucketPlan['cardData'] {
  const prefixes = bucket.cardDataPrefixes ?? [];
  if (prefixes.length === 0) return null;
  if (bucket.immutable)
    throw new CardDataPlacementError(
      `Bucket ${bucket.name} is immutable (Object Lock in production) and cannot hold card data: card numbers must stay deletable. Move ${prefixes.join(', ')} to a mutable bucket in topology/topology.ts.`,
    );
  const undeclared = prefixes.filter((prefix) => !bucket.prefixes.includes(prefix));
  if (undeclared.length > 0)
    throw new CardDataPlacementError(
      `Bucket ${bucket.name} declares card-data prefixes ${undeclared.join(', ')} that are not among its prefixes; add them to its \`prefixes\` in topology/topology.ts.`,
    );
  return { prefixes, retentionDays: config.restrictedRetentionDays };
}

function archiveCopiesOf(bucket: BucketSpec, config: StageConfig): BucketPlan['archiveCopies'] {
  const prefixes = bucket.archiveRetentionPrefixes ?? [];
  if (prefixes.length === 0) return null;
  const undeclared = prefixes.filter((prefix) => !bucket.prefixes.includes(prefix));
  if (undeclared.length > 0)
    throw new TopologyRuleError(
      `Bucket ${bucket.name} declares archive-retention prefixes ${undeclared.join(', ')} that are not among its prefixes; add them to its \`prefixes\` in topology/topology.ts.`,
    );
  // 0 is EventBridge's "indefinitely"; S3 has no expiry for that, so no rule.
  return { prefixes, expireAfterDays: config.archiveRetentionDays > 0 ? config.archiveRetentionDays : null };
}

/**
 * One key per table and per bucket (a role's KMS grant then covers only the data it may reach),
 * and one messaging key for SQS and SNS, which EventBridge and CloudWatch must be allowed to use.
 * Keys of production data are protected: deleting one would make retained data unreadable.
 */
export function planKeys(
  tables: readonly TablePlan[],
  buckets: readonly BucketPlan[],
  config: StageConfig,
): KeyPlan[] {
  return [
    ...tables.map((table) => ({
      name: table.key,
      description: `finledger ${config.stage}: DynamoDB table ${table.table}`,
      servicePrincipals: [],
      protect: config.production,
    })),
    ...buckets.map((bucket) => ({
      name: bucket.key,
      description: `finledger ${config.stage}: S3 bucket ${bucket.bucket}`,
      servicePrincipals: [],
      protect: config.production,
    })),
    {
      name: names.messagingKey(),
      description: `finledger ${config.stage}: SQS queues and the on-call SNS topic`,
      // EventBridge delivers to encrypted queues and rule DLQs; CloudWatch alarms publish to the topic.
      // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-troubleshooting.html#eb-sqs-encrypted
      servicePrincipals: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'],
      protect: false,
    },
  ];
}
