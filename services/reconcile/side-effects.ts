import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ReconciliationCompletedV1 } from '../../contracts/events/catalog.ts';
import type { EventDetail } from '../../contracts/events/envelope.ts';
import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { idempotencyStore } from '../../lib/consumer/idempotency-store.ts';
import type { ConsumerDeps } from '../../lib/consumer/sqs-consumer.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { resources } from '../../lib/resources.ts';
import { BUSINESS_METRICS } from '../../stacks/metrics.ts';
import { dynamoReconCommitter, type ReconCommitResult } from './adapters/dynamo-recon-committer.ts';
import type { ReconcilePorts } from './ports.ts';

/** Everything the handler needs from the world. */
export interface ReconcileDeps {
  readonly ports: ReconcilePorts;
  commit(event: EventDetail<typeof ReconciliationCompletedV1>): Promise<ReconCommitResult>;
}

export interface ReconcileSideEffects {
  readonly reconcile: ReconcileDeps;
  readonly consumer: ConsumerDeps;
  /** Business metrics, published per datapoint (lib/metrics/business-metrics.ts). */
  readonly metrics: Metrics;
}

/**
 * The only place reconcile builds SDK clients and reads configuration. Built on first use (per environment, so
 * the offline runtime can restart on new ports), never at import.
 */
export const sideEffects: () => ReconcileSideEffects = perEnvironment(build);

function build(): ReconcileSideEffects {
  const clients = sharedAwsClients();
  const files = resources.table('files');
  const registry = new FileRegistryStore(clients.doc, files);
  return {
    reconcile: {
      // Strongly consistent per file: two files of a scope closing together must not each miss the other's dedup.
      ports: { listDay: (businessDate, filter) => registry.listDayConsistent(businessDate, filter) },
      commit: dynamoReconCommitter(clients.doc, { files, outbox: resources.table('outbox') }),
    },
    consumer: {
      service: 'reconcile',
      persistenceStore: idempotencyStore(clients.dynamodb, resources.table('idempotency')),
      logger: serviceLogger('reconcile'),
    },
    metrics: new Metrics({ namespace: BUSINESS_METRICS.namespace, serviceName: 'reconcile' }),
  };
}
