import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { unitWorkers } from '../stacks/plan/queues.ts';
import { physicalName } from '../topology/names.ts';
import { unitQueueSettings } from '../topology/queue-settings.ts';
import type { Topology } from '../topology/types.ts';
import { localClients } from './clients.ts';
import type { EmulatorEndpoints } from './emulators.ts';
import { busArn, busPhysicalName } from './physical-names.ts';
import { ensureTable, type ProvisionedTable } from './provision-dynamodb.ts';
import {
  ensureServiceQueues,
  ensureUnitQueues,
  type ProvisionedServiceQueues,
  type ProvisionedUnitQueues,
} from './provision-sqs.ts';

export type { ProvisionedTable } from './provision-dynamodb.ts';
export type { ProvisionedQueue, ProvisionedServiceQueues, ProvisionedUnitQueues } from './provision-sqs.ts';

/** Everything `provision` created, keyed by logical name: what the bus, pollers and resource env need. */
export interface ProvisionedResources {
  readonly app: string;
  readonly stage: string;
  readonly region: string;
  readonly tables: Readonly<Record<string, ProvisionedTable>>;
  readonly buckets: Readonly<Record<string, { readonly name: string }>>;
  /** Per service: its queue, its SQS DLQ and its bus (rule-target) DLQ. */
  readonly services: Readonly<Record<string, ProvisionedServiceQueues>>;
  /** Per unit worker (`trigger.kind === 'units'`): its queue and the SQS DLQ it redrives to. */
  readonly units: Readonly<Record<string, ProvisionedUnitQueues>>;
  readonly bus: { readonly name: string; readonly arn: string };
}

/**
 * Create every table, queue (with DLQs) and bucket of the topology on the emulators.
 * Idempotent: safe to run again on a persisted state folder, where it converges instead of failing.
 * Primary course:
 * 1. Tables with keys, sparse GSIs, stream and TTL.
 * 2. Per service: DLQ, bus DLQ, then the queue whose RedrivePolicy points at the DLQ.
 * 3. Per unit worker: DLQ, then its queue, with the same redrive settings (derived from its timeout).
 * 4. Buckets.
 * @example const resources = await provision(topology, 'local', emulators.endpoints);
 */
export async function provision(
  topology: Topology,
  stage: string,
  endpoints: EmulatorEndpoints,
  options: { region?: string; tablePrefix?: string } = {},
): Promise<ProvisionedResources> {
  const region = options.region ?? 'us-east-1';
  const clients = localClients(endpoints, region);
  try {
    const tables = await Promise.all(
      topology.tables.map(
        async (spec) =>
          [
            spec.name,
            await ensureTable(
              clients.dynamodb,
              spec,
              `${options.tablePrefix ?? ''}${physicalName(stage, spec.name)}`,
            ),
          ] as const,
      ),
    );
    const services = await Promise.all(
      topology.services.map(
        async (service) =>
          [service.name, await ensureServiceQueues(clients.sqs, stage, service.name, service.queue)] as const,
      ),
    );
    const units = await Promise.all(
      unitWorkers(topology).map(
        async ({ worker }) =>
          [
            worker.name,
            await ensureUnitQueues(clients.sqs, stage, worker.name, unitQueueSettings(worker)),
          ] as const,
      ),
    );
    const buckets = await Promise.all(
      topology.buckets.map(async (spec) => {
        const name = physicalName(stage, spec.name);
        await ensureBucket(clients.s3, name);
        return [spec.name, { name }] as const;
      }),
    );
    const busName = busPhysicalName(topology, stage);
    return {
      app: topology.app,
      stage,
      region,
      tables: Object.fromEntries(tables),
      buckets: Object.fromEntries(buckets),
      services: Object.fromEntries(services),
      units: Object.fromEntries(units),
      bus: { name: busName, arn: busArn(region, busName) },
    };
  } finally {
    clients.destroy();
  }
}

async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return;
  } catch {
    // Missing (or unreadable): try to create it and let CreateBucket report a real problem.
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    if (error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists) return;
    throw error;
  }
}
