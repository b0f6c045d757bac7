import { queueFor } from './queue-settings.ts';
import type { Topology } from './types.ts';

/** What validating a file reads and writes, whole (schema-validate) or a chunk at a time (schema-validate-chunk). */
const VALIDATION_BUCKETS = {
  raw: { mode: 'read', prefixes: ['raw/'] },
  quarantine: { mode: 'readwrite', prefixes: ['quarantine/', 'restricted/'] },
  silver: { mode: 'write', prefixes: ['silver/'] },
} as const;

/** The events that close a validation, through the outbox. */
const VALIDATION_EVENTS = [
  { type: 'FileValidated', version: 1 },
  { type: 'FileRejected', version: 1 },
] as const;

/** What deduplicating reads and writes, a whole file (dedup) or a slice of one (dedup-unit). */
const DEDUP_BUCKETS = {
  silver: { mode: 'readwrite', prefixes: ['silver/', 'history/dedup/'] },
  quarantine: { mode: 'write', prefixes: ['quarantine/dedup/'] },
} as const;

/**
 * The event that closes a file's dedup, through the outbox: v1, or v2 when a part list is too long to list
 * (PARTS_LISTED_INLINE_MAX). Its consumers subscribe to both.
 */
const DEDUP_EVENTS = [
  { type: 'RecordsDeduplicated', version: 1 },
  { type: 'RecordsDeduplicated', version: 2 },
] as const;

/**
 * The event that closes a match run (whole, or joined from its units), through the outbox: v1, or v2 when its
 * result list is too long to list (PARTS_LISTED_INLINE_MAX). Its consumer subscribes to both.
 */
const MATCH_EVENTS = [
  { type: 'SettlementsMatched', version: 1 },
  { type: 'SettlementsMatched', version: 2 },
] as const;

/*
 * finledger's one topology: every service, subscription, queue, table and bucket, declared once.
 * `stacks/` turns it into AWS resources; `runtime/` provisions the same on the emulators.
 */
const declared = {
  app: 'finledger',
  busName: 'finledger-bus',
  secrets: [
    {
      name: 'PanHmacKey',
      purpose:
        'HMAC-SHA256 key (at least 16 bytes) for card fingerprints in silver and for digests of object keys that hold a card number. Rotating it changes fingerprints.',
      offlineVariable: 'FINLEDGER_PAN_HMAC_KEY',
    },
  ],
  tables: [
    {
      name: 'files',
      // pk FILE#<fileId> | KEY#<landing key> | RUN#<runId>; sk is the item kind.
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [
        // Sparse: only files not yet in a terminal state carry `openSince`, so the watchdog reads
        // just the open work, never the whole registry.
        {
          name: 'open-files',
          partitionKey: { name: 'openShard', type: 'S' },
          sortKey: { name: 'openSince', type: 'S' },
        },
        // A business date's file records and dedup runs (lib/file-registry/day-index.ts): reconcile and
        // ready-publisher read one date, or one dataset and partner of it, without a scan.
        {
          name: 'files-by-day',
          partitionKey: { name: 'day', type: 'S' },
          sortKey: { name: 'daySort', type: 'S' },
        },
      ],
    },
    {
      name: 'outbox',
      partitionKey: { name: 'pk', type: 'S' },
      indexes: [
        // Sparse: only unpublished entries carry `pendingShard`; the relay's sweep reads this index.
        {
          name: 'pending',
          partitionKey: { name: 'pendingShard', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
      ],
      ttlAttribute: 'expiresAt',
      stream: 'NEW_IMAGE',
    },
    {
      // Powertools idempotency persistence layer (key attribute `id`, expiry `expiration`).
      name: 'idempotency',
      partitionKey: { name: 'id', type: 'S' },
      indexes: [],
      ttlAttribute: 'expiration',
    },
    {
      // The manifest of each key history (pk HISTORY#<dataset>#<partner>): the version and the Parquet segments
      // under the silver bucket's history/dedup/ that hold the natural keys already accepted, for cross-file and
      // cross-day dedup. One item per partner and dataset, swapped on its version: no per-record item.
      name: 'dedup-history',
      partitionKey: { name: 'pk', type: 'S' },
      indexes: [],
    },
  ],
  buckets: [
    {
      name: 'landing',
      purpose: 'Partner drop zone. Keys: inbound/<partner>/<dataset>/<business-date>/<file name>.',
      immutable: false,
      eventBridgeNotifications: true,
      prefixes: ['inbound/'],
    },
    {
      name: 'raw',
      purpose: 'Immutable copies of landed files, kept 7 years. Files holding card numbers never go here.',
      immutable: true,
      eventBridgeNotifications: false,
      prefixes: ['raw/'],
    },
    {
      name: 'silver',
      purpose:
        'Validated rows as Parquet, one folder per run and schema version; dedup key-history segments under history/dedup/.',
      immutable: false,
      eventBridgeNotifications: false,
      prefixes: ['silver/', 'history/'],
    },
    {
      name: 'quarantine',
      purpose:
        'Rejected rows with row number, field and reason; restricted raw files that hold card numbers.',
      immutable: false,
      eventBridgeNotifications: false,
      prefixes: ['quarantine/', 'restricted/'],
      // Landing moves files that hold card numbers here whole, so a partner issue can be worked; nowhere else.
      cardDataPrefixes: ['restricted/'],
    },
    {
      name: 'gold',
      purpose: 'Curated, reconciled datasets with ready markers.',
      immutable: false,
      eventBridgeNotifications: false,
      prefixes: ['gold/'],
    },
    {
      // Its own bucket and key: Firehose's role reaches this bucket only, never the data buckets, and the log's
      // expiry follows the archive's, not a data bucket's. Layout and reader: lib/event-log/.
      name: 'event-log',
      purpose:
        'Every bus event as newline-delimited JSON by detail-type and UTC date, for `finledger replay --dry-run` (EventBridge cannot list an archive). Landing notifications under restricted/.',
      immutable: false,
      eventBridgeNotifications: false,
      prefixes: ['event-log/', 'event-log-errors/', 'restricted/'],
      // Landing's S3 notifications carry partner-chosen object keys, which may hold a card number.
      cardDataPrefixes: ['restricted/'],
      archiveRetentionPrefixes: ['event-log/', 'event-log-errors/'],
    },
  ],
  services: [
    {
      name: 'file-landing',
      handler: 'services/file-landing/handler.ts',
      subscriptions: [{ kind: 'aws', source: 'aws.s3', detailType: 'Object Created', bucket: 'landing' }],
      // Hashes and scans up to 50 GiB (config/limits.ts: ~360 s at the measured 143 MiB/s) in one pass, one file per
      // invocation; 2 GB buys a whole vCPU.
      queue: queueFor(900),
      function: { memoryMb: 2048, timeoutSeconds: 900, batchSize: 1 },
      tables: ['files', 'outbox', 'idempotency'],
      // The HMAC key names a delivery whose object key holds a card number without storing the number.
      secrets: ['PanHmacKey'],
      buckets: {
        // Deletes only an object whose key or content holds a card number, once restricted/ holds its bytes.
        landing: { mode: 'read', prefixes: ['inbound/'], deletes: true },
        raw: { mode: 'write', prefixes: ['raw/'] },
        quarantine: { mode: 'write', prefixes: ['restricted/', 'quarantine/unroutable/'] },
      },
      publishes: [
        { type: 'FileLanded', version: 1 },
        { type: 'FileRejected', version: 1 },
      ],
    },
    {
      name: 'schema-validate',
      handler: 'services/schema-validate/handler.ts',
      secrets: ['PanHmacKey'],
      subscriptions: [{ kind: 'event', type: 'FileLanded', version: 1 }],
      // Validates a file whole, or plans a big one in one pass (50 GiB in 115-315 s, config/limits.ts).
      queue: queueFor(900),
      function: { memoryMb: 2048, timeoutSeconds: 900, batchSize: 1 },
      tables: ['files', 'outbox', 'idempotency'],
      buckets: VALIDATION_BUCKETS,
      publishes: VALIDATION_EVENTS,
    },
    {
      name: 'dedup',
      handler: 'services/dedup/handler.ts',
      subscriptions: [{ kind: 'event', type: 'FileValidated', version: 1 }],
      // DuckDB over the file's silver parts and the partner's key-history segments (1 GB memory limit, spill
      // to /tmp), then one conditional manifest swap per history bucket. Files above the unit size go to dedup-unit.
      queue: queueFor(900),
      function: { memoryMb: 2048, timeoutSeconds: 900, batchSize: 1, setEngine: true },
      tables: ['files', 'outbox', 'idempotency', 'dedup-history'],
      buckets: DEDUP_BUCKETS,
      publishes: DEDUP_EVENTS,
    },
    {
      name: 'settlement-match',
      handler: 'services/settlement-match/handler.ts',
      subscriptions: [
        { kind: 'event', type: 'RecordsDeduplicated', version: 1 },
        { kind: 'event', type: 'RecordsDeduplicated', version: 2 },
      ],
      // Matches a partner's window (up to windowDays + 1 dates of unique parts) per record as SQL in DuckDB (1 GB
      // memory limit, staged parts and spill in /tmp), or, above MATCH_IN_UNITS_ABOVE_ROWS, plans it into units for
      // settlement-match-unit. 10 GB: the planner's DuckDB may take 6 GB (MATCH_PLAN_ENGINE_LIMITS) so that a window
      // of MAX_MATCH_WINDOW_ROWS spills less than the 10 GB of /tmp (config/limits.ts).
      queue: queueFor(900),
      function: { memoryMb: 10240, timeoutSeconds: 900, batchSize: 1, setEngine: true },
      tables: ['files', 'outbox', 'idempotency'],
      buckets: {
        // Modes are per bucket: reads silver/dedup/, writes silver/matches/.
        silver: { mode: 'readwrite', prefixes: ['silver/dedup/', 'silver/matches/'] },
      },
      publishes: MATCH_EVENTS,
    },
    {
      name: 'reconcile',
      handler: 'services/reconcile/handler.ts',
      subscriptions: [
        { kind: 'event', type: 'RecordsDeduplicated', version: 1 },
        { kind: 'event', type: 'RecordsDeduplicated', version: 2 },
        { kind: 'event', type: 'FileRejected', version: 1 },
      ],
      // One files-by-day query per scope and one TransactWriteItems; one record at a time, so each
      // reconciliation reads the facts the previous ones committed.
      queue: queueFor(60),
      function: { memoryMb: 512, timeoutSeconds: 60, batchSize: 1 },
      tables: ['files', 'outbox', 'idempotency'],
      buckets: {},
      publishes: [{ type: 'ReconciliationCompleted', version: 1 }],
    },
    {
      name: 'ready-publisher',
      handler: 'services/ready-publisher/handler.ts',
      subscriptions: [
        { kind: 'event', type: 'ReconciliationCompleted', version: 1 },
        { kind: 'event', type: 'SettlementsMatched', version: 1 },
        { kind: 'event', type: 'SettlementsMatched', version: 2 },
      ],
      // Sorts a dataset's whole date of unique parts into gold in DuckDB (1 GB memory limit, spill to /tmp) and
      // streams it into Parquet parts, or above GOLD_IN_UNITS_ABOVE_ROWS writes a plan under gold-units/ and sends
      // one unit per range of gold buckets to ready-publisher-gold-unit; one record at a time, so each evaluation
      // reads the verdicts and gold the previous ones committed.
      queue: queueFor(900),
      function: { memoryMb: 2048, timeoutSeconds: 900, batchSize: 1, setEngine: true },
      tables: ['files', 'outbox', 'idempotency'],
      buckets: {
        silver: { mode: 'read', prefixes: ['silver/dedup/'] },
        gold: { mode: 'write', prefixes: ['gold/', 'gold-units/'] },
      },
      publishes: [
        { type: 'DatasetReady', version: 1 },
        { type: 'DatasetBlocked', version: 1 },
      ],
    },
  ],
  workers: [
    {
      name: 'outbox-relay',
      handler: 'services/outbox-relay/handler.ts',
      trigger: { kind: 'stream', table: 'outbox' },
      function: { memoryMb: 256, timeoutSeconds: 60, batchSize: 100 },
      tables: ['outbox'],
      buckets: {},
      publishesToBus: true,
    },
    {
      // Publishes entries the stream path missed or the bus refused (PutEvents partial failure).
      name: 'outbox-sweeper',
      handler: 'services/outbox-relay/handler.ts',
      exportName: 'sweepHandler',
      trigger: { kind: 'schedule', everySeconds: 60 },
      function: { memoryMb: 256, timeoutSeconds: 60 },
      tables: ['outbox'],
      buckets: {},
      publishesToBus: true,
    },
    {
      name: 'completeness-watchdog',
      handler: 'services/completeness-watchdog/handler.ts',
      trigger: { kind: 'schedule', everySeconds: 300 },
      function: { memoryMb: 256, timeoutSeconds: 120 },
      tables: ['files', 'outbox'],
      buckets: {},
      publishesToBus: true,
    },
    {
      // Validates one chunk of a file above the chunking size (config/limits.ts): schema-validate plans the file
      // and sends a unit per chunk; the unit that completes the set joins them and closes the file through the
      // outbox, as schema-validate does for a file validated whole. ~256 MiB per unit: ~25 s at one vCPU.
      name: 'schema-validate-chunk',
      handler: 'services/schema-validate/chunk-handler.ts',
      trigger: { kind: 'units', from: 'schema-validate' },
      function: { memoryMb: 2048, timeoutSeconds: 300, batchSize: 1 },
      secrets: ['PanHmacKey'],
      tables: ['files', 'outbox', 'idempotency'],
      buckets: VALIDATION_BUCKETS,
      publishes: VALIDATION_EVENTS,
    },
    {
      // Deduplicates one slice of a big file (config/limits.ts DEDUP_IN_UNITS_ABOVE_ROWS): the rows whose key
      // falls in some of the key history's buckets. dedup records the slices and sends a unit per slice; the unit
      // that completes the set joins them and commits RecordsDeduplicated as dedup does for a file deduplicated whole.
      name: 'dedup-unit',
      handler: 'services/dedup/unit-handler.ts',
      trigger: { kind: 'units', from: 'dedup' },
      function: { memoryMb: 2048, timeoutSeconds: 900, batchSize: 1, setEngine: true },
      tables: ['files', 'outbox', 'idempotency', 'dedup-history'],
      buckets: DEDUP_BUCKETS,
      publishes: DEDUP_EVENTS,
    },
    {
      // Matches one unit of a big window (config/limits.ts MATCH_IN_UNITS_ABOVE_ROWS): rows no pass links to rows
      // outside it. settlement-match plans the window into units under the run's _units/ folder and sends one per
      // unit; the unit that completes the set joins them and commits SettlementsMatched as a whole-window match does.
      name: 'settlement-match-unit',
      handler: 'services/settlement-match/unit-handler.ts',
      trigger: { kind: 'units', from: 'settlement-match' },
      function: { memoryMb: 2048, timeoutSeconds: 900, batchSize: 1, setEngine: true },
      tables: ['files', 'outbox', 'idempotency'],
      buckets: { silver: { mode: 'readwrite', prefixes: ['silver/matches/'] } },
      publishes: MATCH_EVENTS,
    },
    {
      // Builds one range of gold buckets of a big date (config/limits.ts GOLD_IN_UNITS_ABOVE_ROWS): reads the
      // date's unique parts keeping its buckets' rows, sorts them and writes its parts under the run's gold prefix.
      // The unit that completes the set checks the facts are still current, writes the marker and commits the
      // verdict as ready-publisher does for a date built whole.
      name: 'ready-publisher-gold-unit',
      handler: 'services/ready-publisher/unit-handler.ts',
      trigger: { kind: 'units', from: 'ready-publisher' },
      function: { memoryMb: 2048, timeoutSeconds: 900, batchSize: 1, setEngine: true },
      tables: ['files', 'outbox', 'idempotency'],
      buckets: {
        silver: { mode: 'read', prefixes: ['silver/dedup/'] },
        gold: { mode: 'readwrite', prefixes: ['gold/', 'gold-units/'] },
      },
      publishes: [
        { type: 'DatasetReady', version: 1 },
        { type: 'DatasetBlocked', version: 1 },
      ],
    },
    {
      // Finance's reruns of a business date range from raw snapshots (services/rerun/README.md). Moves each file into
      // the run through the outbox like landing does; it needs the raw keys' existence, never their bytes.
      name: 'rerun',
      handler: 'services/rerun/handler.ts',
      trigger: { kind: 'invoke' },
      // A quarter of files (~18k, one transaction each, 8 in flight) fits well inside 15 minutes; a pass that
      // times out is resumed with its run id.
      function: { memoryMb: 512, timeoutSeconds: 900 },
      tables: ['files', 'outbox'],
      publishes: [{ type: 'FileLanded', version: 1 }],
      buckets: {
        raw: { mode: 'list', prefixes: ['raw/'] },
        quarantine: { mode: 'list', prefixes: ['restricted/'] },
      },
    },
  ],
} as const satisfies Topology;

/** The topology, typed by its shape so stacks and the runtime treat every entry alike. */
export const topology: Topology = declared;

export type ServiceName = (typeof declared.services)[number]['name'];
export type WorkerName = (typeof declared.workers)[number]['name'];
