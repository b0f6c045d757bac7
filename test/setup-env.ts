import { inject } from 'vitest';

/**
 * Vitest setup: quiet, offline defaults set before any test file imports a handler, because Powertools
 * reads them when a Logger or Metrics is constructed (module load), not when it is used.
 */
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

// The run's shared DynamoDB Local, for runtime/testing/helpers.ts `sharedDynamoDb()`.
const sharedDynamoDb = inject('sharedDynamoDb');
if (sharedDynamoDb) process.env.FINLEDGER_TEST_SHARED_DYNAMODB = JSON.stringify(sharedDynamoDb);
