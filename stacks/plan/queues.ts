import { unitQueueSettings } from '../../topology/queue-settings.ts';
import type { Topology, UnitsTrigger, WorkerSpec } from '../../topology/types.ts';
import { names } from './names.ts';

/** SQS caps message retention at 14 days. */
export const MAX_RETENTION_SECONDS = 14 * 24 * 3600;

export type QueueRole =
  | 'service'
  | 'service-dlq'
  | 'delivery-dlq'
  | 'worker-dlq'
  | 'event-log-dlq'
  /** A unit worker's own queue (`trigger.kind === 'units'`), and the DLQ it redrives to. */
  | 'unit'
  | 'unit-dlq';

/** Roles of the queues a function consumes (their age is alarmed); every other role is a DLQ. */
export const CONSUMED_QUEUE_ROLES: readonly QueueRole[] = ['service', 'unit'];

/** One SQS queue to declare. Every queue is encrypted with the messaging key. */
export interface QueueSpec {
  /** Component and link name. */
  readonly name: string;
  readonly role: QueueRole;
  /** Service or worker the queue belongs to. */
  readonly owner: string;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  /** Present on service and unit queues: where a message goes after `maxReceiveCount` receives. */
  readonly redrive?: { readonly dlq: string; readonly maxReceiveCount: number };
}

/** Raised when the topology breaks an SQS/Lambda rule; the message names the entry to fix. */
export class TopologyRuleError extends Error {}

/**
 * Check the AWS rules a service's queue must follow, so a new topology entry fails at plan time
 * rather than in production.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
function assertQueueRules(service: Topology['services'][number]): void {
  const { queue, function: fn } = service;
  if (queue.visibilityTimeoutSeconds < 6 * fn.timeoutSeconds) {
    throw new TopologyRuleError(
      `${service.name}: queue visibility ${queue.visibilityTimeoutSeconds}s is under 6x the function timeout (${fn.timeoutSeconds}s); raise it in topology.ts.`,
    );
  }
  if (queue.maxReceiveCount < 2) {
    throw new TopologyRuleError(
      `${service.name}: maxReceiveCount must be at least 2 (throttled retries count as receives).`,
    );
  }
  if (
    queue.dlqRetentionSeconds <= queue.retentionSeconds ||
    queue.dlqRetentionSeconds > MAX_RETENTION_SECONDS
  ) {
    throw new TopologyRuleError(
      `${service.name}: DLQ retention must exceed the queue's (it counts from the original send) and stay within 14 days.`,
    );
  }
}

/**
 * Every queue the topology implies: per service its queue, its DLQ and the DLQ of its bus rules; per stream or
 * scheduled worker the DLQ its failures go to (stream on-failure destination or scheduler DLQ); per unit worker its
 * queue and the DLQ that queue redrives to.
 */
export function planQueues(topology: Topology): QueueSpec[] {
  const specs: QueueSpec[] = [];
  for (const service of topology.services) {
    assertQueueRules(service);
    const dlq = names.dlq(service.name);
    specs.push(
      {
        name: names.queue(service.name),
        role: 'service',
        owner: service.name,
        visibilityTimeoutSeconds: service.queue.visibilityTimeoutSeconds,
        retentionSeconds: service.queue.retentionSeconds,
        redrive: { dlq, maxReceiveCount: service.queue.maxReceiveCount },
      },
      dlqSpec(dlq, 'service-dlq', service.name, service.queue.dlqRetentionSeconds),
      dlqSpec(names.deliveryDlq(service.name), 'delivery-dlq', service.name, MAX_RETENTION_SECONDS),
    );
  }
  for (const worker of topology.workers.filter(hasFailureQueue)) {
    specs.push(dlqSpec(names.dlq(worker.name), 'worker-dlq', worker.name, MAX_RETENTION_SECONDS));
  }
  for (const { worker } of unitWorkers(topology)) {
    const settings = unitQueueSettings(worker);
    const dlq = names.dlq(worker.name);
    specs.push(
      {
        name: names.queue(worker.name),
        role: 'unit',
        owner: worker.name,
        visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
        retentionSeconds: settings.retentionSeconds,
        redrive: { dlq, maxReceiveCount: settings.maxReceiveCount },
      },
      dlqSpec(dlq, 'unit-dlq', worker.name, settings.dlqRetentionSeconds),
    );
  }
  return specs;
}

/**
 * Whether a worker's failed invocations go to a failure queue of its own: stream and scheduled workers. An operator's
 * invoke returns its error instead, and a unit worker's failed units go to its queue's redrive DLQ.
 */
export const hasFailureQueue = (worker: WorkerSpec): boolean =>
  worker.trigger.kind === 'stream' || worker.trigger.kind === 'schedule';

/** A worker fed by its own unit queue, with its trigger narrowed. */
export interface UnitWorker {
  readonly worker: WorkerSpec;
  readonly trigger: UnitsTrigger;
}

/**
 * The topology's unit workers, each checked to name a sender that exists.
 * @example unitWorkers(topology).map(({ worker }) => names.queue(worker.name))
 */
export function unitWorkers(topology: Pick<Topology, 'services' | 'workers'>): UnitWorker[] {
  return topology.workers.flatMap((worker) => {
    const trigger = worker.trigger;
    if (trigger.kind !== 'units') return [];
    if (!topology.services.some((service) => service.name === trigger.from)) {
      throw new TopologyRuleError(
        `${worker.name}: its units come from "${trigger.from}", which is not a service of the topology; set trigger.from in topology.ts to one of: ${topology.services.map((service) => service.name).join(', ')}.`,
      );
    }
    return [{ worker, trigger }];
  });
}

/** Unit queues (component names) a service or worker may send to: those of the workers it feeds, and its own. */
export function unitQueuesSentBy(topology: Pick<Topology, 'services' | 'workers'>, unit: string): string[] {
  return unitWorkers(topology)
    .filter(({ worker, trigger }) => trigger.from === unit || worker.name === unit)
    .map(({ worker }) => names.queue(worker.name));
}

function dlqSpec(name: string, role: QueueRole, owner: string, retentionSeconds: number): QueueSpec {
  return { name, role, owner, visibilityTimeoutSeconds: 30, retentionSeconds };
}
