import { Metrics } from '@aws-lambda-powertools/metrics';
import { MAX_GOLD_PARTITION_ROWS } from '../../config/limits.ts';
import { readyGates } from '../../config/ready-gates.ts';
import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { idempotencyStore } from '../../lib/consumer/idempotency-store.ts';
import type { ConsumerDeps } from '../../lib/consumer/sqs-consumer.ts';
import { DEFAULT_SET_ENGINE_LIMITS } from '../../lib/duckdb/set-engine.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { resources } from '../../lib/resources.ts';
import { BUSINESS_METRICS } from '../../stacks/metrics.ts';
import {
  dynamoReadyCommitter,
  type ReadyCommitResult,
  type ReadyVerdictEvent,
} from './adapters/dynamo-ready-committer.ts';
import { registryRuns } from './adapters/registry-runs.ts';
import { s3Gold } from './adapters/s3-gold.ts';
import type { ReadyConfig, ReadyPorts } from './ports.ts';

/** Everything the handler needs from the world. */
export interface ReadyDeps {
  readonly ports: ReadyPorts;
  readonly config: ReadyConfig;
  commit(event: ReadyVerdictEvent): Promise<ReadyCommitResult>;
}

export interface ReadySideEffects {
  readonly ready: ReadyDeps;
  readonly consumer: ConsumerDeps;
  /** Business metrics, published per datapoint (lib/metrics/business-metrics.ts). */
  readonly metrics: Metrics;
}

/**
 * The only place ready-publisher builds SDK clients and reads configuration. Built on first use (per environment,
 * so the offline runtime can restart on new ports), never at import.
 */
export const sideEffects: () => ReadySideEffects = perEnvironment(build);

function build(): ReadySideEffects {
  const clients = sharedAwsClients();
  const files = resources.table('files');
  const registry = new FileRegistryStore(clients.doc, files);
  const goldBucket = resources.bucket('gold');
  return {
    ready: {
      ports: {
        // Each file's stage and dedup run read by key, strongly consistent: the gates judge the day as it is now.
        listDay: (businessDate, filter) => registry.listDayConsistent(businessDate, filter),
        ...registryRuns(clients.doc, files),
        ...s3Gold(clients.s3, goldBucket),
      },
      config: {
        goldBucket,
        gates: readyGates,
        maxGoldRows: MAX_GOLD_PARTITION_ROWS,
        engine: DEFAULT_SET_ENGINE_LIMITS,
      },
      commit: dynamoReadyCommitter(clients.doc, { files, outbox: resources.table('outbox') }),
    },
    consumer: {
      service: 'ready-publisher',
      persistenceStore: idempotencyStore(clients.dynamodb, resources.table('idempotency')),
      logger: serviceLogger('ready-publisher'),
    },
    metrics: new Metrics({ namespace: BUSINESS_METRICS.namespace, serviceName: 'ready-publisher' }),
  };
}
