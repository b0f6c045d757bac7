/**
 * The shape of finledger's one topology. `topology.ts` fills it in once; `stacks/` (AWS, via SST)
 * and `runtime/` (offline emulators) both read it, so no queue, rule, table or bucket is declared twice.
 */

/** A subscription to one of finledger's own versioned events (detail-type + detail.version). */
export interface EventSubscription {
  readonly kind: 'event';
  readonly type: string;
  readonly version: number;
}

/** A subscription to an AWS-native event, such as S3's EventBridge "Object Created" notification. */
export interface AwsEventSubscription {
  readonly kind: 'aws';
  readonly source: string;
  readonly detailType: string;
  /** Logical bucket name the notification must come from (matched on `detail.bucket.name`). */
  readonly bucket: string;
}

export type Subscription = EventSubscription | AwsEventSubscription;

export interface QueueSettings {
  /** Must be ≥ 6× the function timeout (AWS guidance for Lambda SQS event sources). */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before SQS moves a message to the DLQ; never 1 (throttled retries count too). */
  readonly maxReceiveCount: number;
  readonly retentionSeconds: number;
  /** DLQ retention counts from the original send, so it must outlive the source queue's. */
  readonly dlqRetentionSeconds: number;
}

export interface FunctionSettings {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Largest SQS batch handed to one invocation. */
  readonly batchSize: number;
  /**
   * Runs set work in DuckDB (`lib/duckdb/set-engine.ts`): its native binding ships unbundled, and the
   * function gets /tmp room for staged Parquet and spill.
   */
  readonly setEngine?: boolean;
}

/** A service consumes from its own queue, fed by the subscriptions' bus rules. */
export interface ServiceSpec {
  readonly name: string;
  /** Path of the handler module, relative to the repository root, exporting `handler`. */
  readonly handler: string;
  readonly subscriptions: readonly Subscription[];
  readonly queue: QueueSettings;
  readonly function: FunctionSettings;
  /** Tables this service reads or writes (least privilege in AWS, wiring locally). */
  readonly tables: readonly TableName[];
  /** Bucket access: logical bucket → 'read' | 'write' | 'readwrite', optionally narrowed to prefixes. */
  readonly buckets: Readonly<Partial<Record<BucketName, BucketAccess>>>;
  /** Secrets the service reads through its links (never plain environment variables in AWS). */
  readonly secrets?: readonly SecretName[];
  /** Whether the service writes to the outbox (and so needs the outbox table in its transactions). */
  readonly publishes: readonly { type: string; version: number }[];
}

export interface BucketAccess {
  /** `list`: keys under the prefixes only (ListObjectsV2), never an object's bytes. */
  readonly mode: 'list' | 'read' | 'write' | 'readwrite';
  readonly prefixes?: readonly string[];
  /** May delete objects and their versions under the prefixes (file-landing removes a key holding a card number). */
  readonly deletes?: boolean;
}

export interface KeySpec {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
}

export interface TableSpec {
  readonly name: TableName;
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
  readonly indexes: readonly IndexSpec[];
  /** Attribute holding an epoch-seconds expiry, when items expire. */
  readonly ttlAttribute?: string;
  /** Stream view for tables whose changes drive another function (the outbox relay). */
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

export interface BucketSpec {
  readonly name: BucketName;
  readonly purpose: string;
  /** Raw is immutable: versioned, Object Lock (compliance) in production. */
  readonly immutable: boolean;
  /** Send object-level events to EventBridge (landing). */
  readonly eventBridgeNotifications: boolean;
  /** Key prefixes the bucket holds, documented and allow-listed. */
  readonly prefixes: readonly string[];
  /**
   * Prefixes (among `prefixes`) that hold card numbers in clear (PCI DSS cardholder data): the only place they may
   * be stored. Never on an immutable bucket (Object Lock would make them undeletable); their objects expire after
   * the stage's `restrictedRetentionDays` (`stacks/`), and `finledger pan-scan` exempts only them.
   */
  readonly cardDataPrefixes?: readonly string[];
  /**
   * Prefixes (among `prefixes`) holding copies of the bus archive's events: kept exactly as long as the archive
   * keeps them (the stage's `archiveRetentionDays`, 0 = indefinitely), so a copy never outlives its source.
   */
  readonly archiveRetentionPrefixes?: readonly string[];
}

/** The name of a service in `Topology.services`. */
export type ServiceName = ServiceSpec['name'];

/**
 * A worker fed by a queue of its own that a named service sends bounded work units to (one byte range of a big
 * file per message, say), so set work fans out over many invocations. The stacks and the runtime derive the queue,
 * its DLQ (after the service queues' max receive count), the consumer's event source (partial batch responses,
 * `function.batchSize`, visibility 6× the function timeout), and send rights for `from` and for the worker itself
 * (a unit may enqueue follow-up units). Senders find the queue URL with `resources.unitQueueUrl(<worker name>)`.
 */
export interface UnitsTrigger {
  readonly kind: 'units';
  /** The service that sends the unit messages; must name a service of the topology. */
  readonly from: ServiceName;
}

/**
 * Functions that are not service queue consumers: stream-driven, scheduled, invoked by an operator (`invoke`: a
 * synchronous `aws lambda invoke` whose caller sees the result or the error, so it has no DLQ), or fed work units
 * by a service through a queue of their own (`units`).
 */
export interface WorkerSpec {
  readonly name: string;
  readonly handler: string;
  /** Export of the handler module to call; defaults to `handler`. */
  readonly exportName?: string;
  readonly trigger:
    | { kind: 'stream'; table: TableName }
    | { kind: 'schedule'; everySeconds: number }
    | { kind: 'invoke' }
    | UnitsTrigger;
  readonly function: Omit<FunctionSettings, 'batchSize'> & { batchSize?: number };
  /** Stage secrets the worker reads (`sst secret set`), linked to it alone. */
  readonly secrets?: readonly SecretName[];
  readonly tables: readonly TableName[];
  readonly buckets: Readonly<Partial<Record<BucketName, BucketAccess>>>;
  /** Calls PutEvents itself (the relay, and the watchdog when it re-drives); services publish through the outbox only. */
  readonly publishesToBus?: boolean;
  /** Events the worker produces through the outbox (the watchdog's re-drives republish others' events: not listed). */
  readonly publishes?: readonly { type: string; version: number }[];
}

/** A secret set per stage (`sst secret set <name> <value> --stage <stage>`), linked only where declared. */
export interface SecretSpec {
  readonly name: SecretName;
  readonly purpose: string;
  /** Offline, the runtime links the secret from this environment variable. */
  readonly offlineVariable: string;
}

export interface Topology {
  readonly app: string;
  readonly busName: string;
  readonly secrets: readonly SecretSpec[];
  readonly tables: readonly TableSpec[];
  readonly buckets: readonly BucketSpec[];
  readonly services: readonly ServiceSpec[];
  readonly workers: readonly WorkerSpec[];
}

export type TableName = 'files' | 'outbox' | 'idempotency' | 'dedup-history';
export type BucketName = 'landing' | 'raw' | 'silver' | 'quarantine' | 'gold' | 'event-log';
export type SecretName = 'PanHmacKey';
