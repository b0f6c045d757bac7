import type { Topology, WorkerSpec } from '../../topology/types.ts';
import { names } from './names.ts';

/** SQS caps message retention at 14 days. */
export const MAX_RETENTION_SECONDS = 14 * 24 * 3600;

export type QueueRole = 'service' | 'service-dlq' | 'delivery-dlq' | 'worker-dlq' | 'event-log-dlq';

/** One SQS queue to declare. Every queue is encrypted with the messaging key. */
export interface QueueSpec {
  /** Component and link name. */
  readonly name: string;
  readonly role: QueueRole;
  /** Service or worker the queue belongs to. */
  readonly owner: string;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  /** Present on service queues: where a message goes after `maxReceiveCount` receives. */
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
 * Every queue the topology implies: per service its queue, its DLQ and the DLQ of its bus rules;
 * per worker the DLQ its failures go to (stream on-failure destination or scheduler DLQ).
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
  return specs;
}

/** Whether a worker's failed invocations go to a DLQ of its own (an operator's invoke returns its error instead). */
export const hasFailureQueue = (worker: WorkerSpec): boolean => worker.trigger.kind !== 'invoke';

function dlqSpec(name: string, role: QueueRole, owner: string, retentionSeconds: number): QueueSpec {
  return { name, role, owner, visibilityTimeoutSeconds: 30, retentionSeconds };
}
