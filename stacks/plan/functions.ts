import { DEFAULT_UNIT_BATCH_SIZE } from '../../topology/queue-settings.ts';
import type { BucketAccess, BucketName, TableName, Topology, WorkerSpec } from '../../topology/types.ts';
import { BUSINESS_METRICS } from '../metrics.ts';
import { names } from './names.ts';
import { TopologyRuleError, unitQueuesSentBy, unitWorkers } from './queues.ts';

/**
 * Lambda requires a batching window of at least 1 s for SQS batches above 10.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
const SQS_BATCH_WITHOUT_WINDOW = 10;

/**
 * How a stream worker retries: split a failing batch to isolate the bad record, give up after 10
 * tries and hand the batch's coordinates to the on-failure queue (the relay's sweep re-publishes
 * whatever is still pending in the outbox).
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 */
export const STREAM_RETRY = { maximumRetryAttempts: 10, bisectBatchOnFunctionError: true } as const;

export type Trigger =
  | {
      readonly kind: 'queue';
      readonly queue: string;
      readonly batchSize: number;
      readonly maximumBatchingWindowSeconds: number;
    }
  | {
      readonly kind: 'stream';
      readonly table: TableName;
      readonly batchSize: number;
      readonly onFailure: string;
    }
  | { readonly kind: 'schedule'; readonly expression: string; readonly dlq: string }
  /** Invoked by an operator (synchronous `aws lambda invoke`): no event source, no schedule, no DLQ. */
  | { readonly kind: 'invoke' };

/** One Lambda function: a service (queue consumer) or a worker (stream, schedule, operator-invoked or unit queue). */
export interface FunctionSpec {
  readonly name: string;
  /** Topology name of the service or worker. */
  readonly unit: string;
  /** SST handler: module path without extension, then the export (`services/x/handler.handler`). */
  readonly handler: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Runs DuckDB: ships its native binding and gets ephemeral storage for staging and spill. */
  readonly setEngine: boolean;
  readonly trigger: Trigger;
  /** Link names the handler reads through `Resource` (no permissions come with a link). */
  readonly links: readonly string[];
  readonly tables: readonly TableName[];
  readonly buckets: Readonly<Partial<Record<BucketName, BucketAccess>>>;
  /** The outbox relay (and sweeper) publish to the bus; nothing else calls PutEvents. */
  readonly publishesToBus: boolean;
  /** Unit queues (component names) the function sends work units to: the workers it feeds, and its own. */
  readonly sendsTo: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * SST's handler notation: module path without extension, a dot, the export.
 * @example sstHandler('services/outbox-relay/handler.ts', 'sweepHandler') // 'services/outbox-relay/handler.sweepHandler'
 */
export function sstHandler(path: string, exportName = 'handler'): string {
  if (!path.endsWith('.ts')) {
    throw new TopologyRuleError(`Handler ${path} must be a .ts module.`);
  }
  return `${path.slice(0, -'.ts'.length)}.${exportName}`;
}

/**
 * Modules that publish to the bus: the module of the worker on the outbox stream (the relay), and so
 * every worker running that module (the sweeper re-publishes what the stream path missed). The
 * topology has no explicit flag for it; nothing else gets `events:PutEvents`.
 */
/**
 * EventBridge Scheduler rate expression for a period in seconds (whole minutes only).
 * @example scheduleExpression(300) // 'rate(5 minutes)'
 */
export function scheduleExpression(everySeconds: number): string {
  if (!Number.isInteger(everySeconds) || everySeconds < 60 || everySeconds % 60 !== 0) {
    throw new TopologyRuleError(`Schedule every ${everySeconds}s: rates must be whole minutes.`);
  }
  const [value, unit] =
    everySeconds % 3600 === 0 ? [everySeconds / 3600, 'hour'] : [everySeconds / 60, 'minute'];
  return `rate(${value} ${unit}${value === 1 ? '' : 's'})`;
}

function environment(unit: string): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: unit,
    POWERTOOLS_METRICS_NAMESPACE: BUSINESS_METRICS.namespace,
  };
}

function dataLinks(
  tables: readonly TableName[],
  buckets: Partial<Record<BucketName, BucketAccess>>,
): string[] {
  return [
    ...tables.map((table) => names.table(table)),
    ...(Object.keys(buckets) as BucketName[]).map((bucket) => names.bucket(bucket)),
  ];
}

/** An SQS event source; Lambda needs a batching window for batches above 10. */
function queueTrigger(queue: string, batchSize: number): Trigger {
  return {
    kind: 'queue',
    queue,
    batchSize,
    maximumBatchingWindowSeconds: batchSize > SQS_BATCH_WITHOUT_WINDOW ? 1 : 0,
  };
}

function workerTrigger(worker: WorkerSpec): Trigger {
  const trigger = worker.trigger;
  switch (trigger.kind) {
    case 'stream':
      return {
        kind: 'stream',
        table: trigger.table,
        batchSize: worker.function.batchSize ?? 100,
        onFailure: names.dlq(worker.name),
      };
    case 'schedule':
      return {
        kind: 'schedule',
        expression: scheduleExpression(trigger.everySeconds),
        dlq: names.dlq(worker.name),
      };
    case 'invoke':
      return { kind: 'invoke' };
    case 'units':
      // Consumed exactly like a service queue: same event source, same partial batch responses.
      return queueTrigger(names.queue(worker.name), worker.function.batchSize ?? DEFAULT_UNIT_BATCH_SIZE);
  }
}

/** Every function of the topology, services first, with its trigger and links. */
export function planFunctions(topology: Topology): FunctionSpec[] {
  // Refuses a unit worker whose sender is not a service before anything is derived from it.
  unitWorkers(topology);
  const services = topology.services.map((service): FunctionSpec => {
    const sendsTo = unitQueuesSentBy(topology, service.name);
    return {
      name: names.function(service.name),
      unit: service.name,
      handler: sstHandler(service.handler),
      memoryMb: service.function.memoryMb,
      timeoutSeconds: service.function.timeoutSeconds,
      setEngine: service.function.setEngine === true,
      trigger: queueTrigger(names.queue(service.name), service.function.batchSize),
      links: [
        ...dataLinks(service.tables, service.buckets),
        names.queue(service.name),
        ...sendsTo,
        ...(service.secrets ?? []),
      ],
      tables: service.tables,
      buckets: service.buckets,
      publishesToBus: false,
      sendsTo,
      environment: environment(service.name),
    };
  });
  const workers = topology.workers.map((worker): FunctionSpec => {
    const trigger = worker.trigger;
    if (trigger.kind === 'stream' && !topology.tables.find((table) => table.name === trigger.table)?.stream) {
      throw new TopologyRuleError(
        `${worker.name} reads the stream of table ${trigger.table}, which declares none.`,
      );
    }
    const publishesToBus = worker.publishesToBus === true;
    const sendsTo = unitQueuesSentBy(topology, worker.name);
    return {
      name: names.function(worker.name),
      unit: worker.name,
      handler: sstHandler(worker.handler, worker.exportName),
      memoryMb: worker.function.memoryMb,
      timeoutSeconds: worker.function.timeoutSeconds,
      setEngine: worker.function.setEngine === true,
      trigger: workerTrigger(worker),
      // A unit worker's own queue is both its trigger and where it sends follow-up units: linked once.
      links: [
        ...dataLinks(worker.tables, worker.buckets),
        ...(publishesToBus ? [names.bus()] : []),
        ...sendsTo,
        ...(worker.secrets ?? []),
      ],
      tables: worker.tables,
      buckets: worker.buckets,
      publishesToBus,
      sendsTo,
      environment: environment(worker.name),
    };
  });
  return [...services, ...workers];
}
