import { unitWorkers } from '../stacks/plan/queues.ts';
import { DEFAULT_UNIT_BATCH_SIZE, unitQueueSettings } from '../topology/queue-settings.ts';
import type { Topology } from '../topology/types.ts';
import type { ProvisionedQueue, ProvisionedResources } from './provision.ts';

/**
 * One queue a function consumes through an SQS event source: a service's queue, or a unit worker's (`units`
 * trigger). Offline both get the same poller, as both get the same event source mapping in AWS.
 */
export interface QueueConsumer {
  /** Service or unit worker name: the key of its handler in the `HandlerMap`. */
  readonly name: string;
  readonly queue: ProvisionedQueue;
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly visibilityTimeoutSeconds: number;
}

/**
 * Every queue consumer of the topology, services first, with its provisioned queue.
 * @example queueConsumers(topology, resources).map((consumer) => consumer.queue.url)
 */
export function queueConsumers(topology: Topology, resources: ProvisionedResources): QueueConsumer[] {
  const services = topology.services.flatMap((service): QueueConsumer[] => {
    const queues = resources.services[service.name];
    if (!queues) return [];
    return [
      {
        name: service.name,
        queue: queues.queue,
        batchSize: service.function.batchSize,
        timeoutSeconds: service.function.timeoutSeconds,
        memoryMb: service.function.memoryMb,
        visibilityTimeoutSeconds: service.queue.visibilityTimeoutSeconds,
      },
    ];
  });
  const units = unitWorkers(topology).flatMap(({ worker }): QueueConsumer[] => {
    const queues = resources.units[worker.name];
    if (!queues) return [];
    return [
      {
        name: worker.name,
        queue: queues.queue,
        batchSize: worker.function.batchSize ?? DEFAULT_UNIT_BATCH_SIZE,
        timeoutSeconds: worker.function.timeoutSeconds,
        memoryMb: worker.function.memoryMb,
        visibilityTimeoutSeconds: unitQueueSettings(worker).visibilityTimeoutSeconds,
      },
    ];
  });
  return [...services, ...units];
}

/** The queue a consumer (service or unit worker) reads, by its name. */
export function consumedQueueUrl(resources: ProvisionedResources, name: string): string | undefined {
  return resources.services[name]?.queue.url ?? resources.units[name]?.queue.url;
}
