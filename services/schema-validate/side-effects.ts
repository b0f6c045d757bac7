import { Metrics } from '@aws-lambda-powertools/metrics';
import { VALIDATE_IN_CHUNKS_ABOVE_BYTES, VALIDATION_CHUNK_BYTES } from '../../config/limits.ts';
import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { panHmacKey } from '../../lib/card-data/pan-hmac-key.ts';
import { idempotencyStore } from '../../lib/consumer/idempotency-store.ts';
import type { ConsumerDeps } from '../../lib/consumer/sqs-consumer.ts';
import { countFromEnv, numberFromEnv } from '../../lib/env.ts';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { resources } from '../../lib/resources.ts';
import { sqsUnitDispatch } from '../../lib/work-units/sqs-unit-dispatch.ts';
import { BUSINESS_METRICS } from '../../stacks/metrics.ts';
import { dynamoChunkLedger } from './adapters/dynamo-chunk-ledger.ts';
import {
  dynamoStageCommitter,
  type StageCommit,
  type StageCommitResult,
} from './adapters/dynamo-stage-committer.ts';
import { s3Objects } from './adapters/s3-objects.ts';
import type { ChunkedValidationDeps } from './chunks/chunked-validation.ts';
import type { ChunkingConfig } from './chunks/validate-in-chunks.ts';
import { DEFAULT_LIMITS, type SchemaValidateConfig, type SchemaValidatePorts } from './ports.ts';

/** The worker that validates one chunk of a big file (topology `workers`). */
export const CHUNK_WORKER = 'schema-validate-chunk';

/** Optional sizes, in bytes: files above the first are validated in chunks of about the second. */
export const CHUNK_ABOVE_VARIABLE = 'FINLEDGER_VALIDATE_IN_CHUNKS_ABOVE_BYTES';
export const CHUNK_BYTES_VARIABLE = 'FINLEDGER_VALIDATION_CHUNK_BYTES';

/** Chunking sizes from `config/limits.ts`, lowered by the environment in tests and small stages. */
export function chunkingFromEnv(env: NodeJS.ProcessEnv = process.env): ChunkingConfig {
  return {
    chunkAboveBytes: countFromEnv(CHUNK_ABOVE_VARIABLE, VALIDATE_IN_CHUNKS_ABOVE_BYTES, 0, env),
    chunkBytes: countFromEnv(CHUNK_BYTES_VARIABLE, VALIDATION_CHUNK_BYTES, 1, env),
  };
}

/** Optional share of quarantined rows (0-1) above which a file is rejected; default 0.2. */
export const QUARANTINE_REJECT_RATE_VARIABLE = 'FINLEDGER_QUARANTINE_REJECT_RATE';

/** Everything the handler needs from the world. */
export interface SchemaValidateDeps {
  readonly ports: SchemaValidatePorts;
  readonly config: SchemaValidateConfig;
  commitStage(commit: StageCommit): Promise<StageCommitResult>;
  /** Validation in chunks of files above the chunking size; absent, every file is validated whole. */
  readonly chunks?: ChunkedValidationDeps;
}

export interface SchemaValidateSideEffects {
  readonly validate: SchemaValidateDeps;
  readonly consumer: ConsumerDeps;
  /** Business metrics (QuarantineRate), published by the handler when it has a datapoint. */
  readonly metrics: Metrics;
}

/**
 * The only place schema-validate builds SDK clients and reads configuration. Built on first use (per
 * environment, so the offline runtime can restart on new ports), never at import.
 */
export const sideEffects: () => SchemaValidateSideEffects = perEnvironment(build);

function build(): SchemaValidateSideEffects {
  const clients = sharedAwsClients();
  return {
    validate: {
      ports: s3Objects(clients.s3),
      config: configFromEnv(),
      commitStage: dynamoStageCommitter(clients.doc, {
        files: resources.table('files'),
        outbox: resources.table('outbox'),
      }),
      chunks: {
        ledger: dynamoChunkLedger(clients.doc, resources.table('files')),
        dispatch: sqsUnitDispatch(clients.sqs, () => resources.unitQueueUrl(CHUNK_WORKER), 'FileLanded'),
        chunking: chunkingFromEnv(),
      },
    },
    consumer: {
      service: 'schema-validate',
      persistenceStore: idempotencyStore(clients.dynamodb, resources.table('idempotency')),
      logger: serviceLogger('schema-validate'),
    },
    metrics: new Metrics({ namespace: BUSINESS_METRICS.namespace, serviceName: 'schema-validate' }),
  };
}

/** Config from linked resources and the environment; fails fast naming the variable or secret at fault. */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  readPanHmacKey: () => string = () => resources.secret('PanHmacKey'),
): SchemaValidateConfig {
  const quarantineRejectRate = numberFromEnv(
    QUARANTINE_REJECT_RATE_VARIABLE,
    DEFAULT_LIMITS.quarantineRejectRate,
    env,
  );
  if (quarantineRejectRate < 0 || quarantineRejectRate > 1) {
    throw new Error(
      `Environment variable ${QUARANTINE_REJECT_RATE_VARIABLE}=${quarantineRejectRate} must be between 0 and 1.`,
    );
  }
  return {
    ...DEFAULT_LIMITS,
    buckets: { silver: resources.bucket('silver'), quarantine: resources.bucket('quarantine') },
    panHmacKey: panHmacKey(readPanHmacKey),
    quarantineRejectRate,
  };
}
