import { randomUUID } from 'node:crypto';
import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { panHmacKey } from '../../lib/card-data/pan-hmac-key.ts';
import { idempotencyStore } from '../../lib/consumer/idempotency-store.ts';
import type { ConsumerDeps } from '../../lib/consumer/sqs-consumer.ts';
import { numberFromEnv } from '../../lib/env.ts';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { resources } from '../../lib/resources.ts';
import { dynamoLandingRegistry } from './adapters/dynamo-landing-registry.ts';
import { s3ObjectStore } from './adapters/s3-object-store.ts';
import { DEFAULT_MAX_OBJECT_BYTES, type FileLandingDeps } from './ports.ts';

/** Optional lower object-size cap, in bytes (never above MAX_PARTNER_FILE_BYTES, config/limits.ts). */
export const MAX_OBJECT_BYTES_VARIABLE = 'FILE_LANDING_MAX_OBJECT_BYTES';

export interface FileLandingSideEffects {
  landing: FileLandingDeps;
  consumer: ConsumerDeps;
}

/**
 * The only place file-landing builds SDK clients and reads configuration. Built on first use (per
 * environment, so the offline runtime can restart on new ports), never at import.
 */
export const sideEffects: () => FileLandingSideEffects = perEnvironment(build);

function build(): FileLandingSideEffects {
  const clients = sharedAwsClients();
  const registry = dynamoLandingRegistry(clients.doc, {
    files: resources.table('files'),
    outbox: resources.table('outbox'),
  });
  const maxObjectBytes = Math.min(
    numberFromEnv(MAX_OBJECT_BYTES_VARIABLE, DEFAULT_MAX_OBJECT_BYTES),
    DEFAULT_MAX_OBJECT_BYTES,
  );
  return {
    landing: {
      ports: { ...s3ObjectStore(clients.s3), ...registry, now: () => new Date(), newId: randomUUID },
      settings: {
        landingBucket: resources.bucket('landing'),
        rawBucket: resources.bucket('raw'),
        quarantineBucket: resources.bucket('quarantine'),
        maxObjectBytes,
        panHmacKey: panHmacKey(),
      },
    },
    consumer: {
      service: 'file-landing',
      persistenceStore: idempotencyStore(clients.dynamodb, resources.table('idempotency')),
      logger: serviceLogger('file-landing'),
    },
  };
}
