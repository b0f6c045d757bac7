import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { idempotencyStore } from '../../lib/consumer/idempotency-store.ts';
import type { ConsumerDeps } from '../../lib/consumer/sqs-consumer.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { resources } from '../../lib/resources.ts';
import {
  dynamoMatchCommitter,
  type MatchCommit,
  type MatchCommitResult,
} from './adapters/dynamo-match-committer.ts';
import { registryDedupRuns, registryFilesAwaitingDedup } from './adapters/registry-dedup-runs.ts';
import { s3Objects } from './adapters/s3-objects.ts';
import { DEFAULT_MATCH_LIMITS, type SettlementMatchConfig, type SettlementMatchPorts } from './ports.ts';

/** Everything the handler needs from the world. */
export interface SettlementMatchDeps {
  readonly ports: SettlementMatchPorts;
  readonly config: SettlementMatchConfig;
  commit(commit: MatchCommit): Promise<MatchCommitResult>;
}

export interface SettlementMatchSideEffects {
  readonly match: SettlementMatchDeps;
  readonly consumer: ConsumerDeps;
}

/**
 * The only place settlement-match builds SDK clients and reads configuration. Built on first use (per
 * environment, so the offline runtime can restart on new ports), never at import.
 */
export const sideEffects: () => SettlementMatchSideEffects = perEnvironment(build);

function build(): SettlementMatchSideEffects {
  const clients = sharedAwsClients();
  const files = resources.table('files');
  const registry = new FileRegistryStore(clients.doc, files);
  return {
    match: {
      ports: {
        dedupRuns: registryDedupRuns(registry),
        filesAwaitingDedup: registryFilesAwaitingDedup(registry),
        objects: s3Objects(clients.s3),
      },
      config: { ...DEFAULT_MATCH_LIMITS, silverBucket: resources.bucket('silver') },
      commit: dynamoMatchCommitter(clients.doc, { files, outbox: resources.table('outbox') }),
    },
    consumer: {
      service: 'settlement-match',
      persistenceStore: idempotencyStore(clients.dynamodb, resources.table('idempotency')),
      logger: serviceLogger('settlement-match'),
    },
  };
}
