import { Metrics } from '@aws-lambda-powertools/metrics';
import { GOLD_IN_UNITS_ABOVE_ROWS, GOLD_UNIT_ROWS, MAX_GOLD_PARTITION_ROWS } from '../../config/limits.ts';
import { readyGates } from '../../config/ready-gates.ts';
import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { idempotencyStore } from '../../lib/consumer/idempotency-store.ts';
import type { ConsumerDeps } from '../../lib/consumer/sqs-consumer.ts';
import { DEFAULT_SET_ENGINE_LIMITS } from '../../lib/duckdb/set-engine.ts';
import { countFromEnv } from '../../lib/env.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { resources } from '../../lib/resources.ts';
import { dynamoUnitLedger } from '../../lib/work-units/dynamo-unit-ledger.ts';
import { sqsUnitDispatch } from '../../lib/work-units/sqs-unit-dispatch.ts';
import { BUSINESS_METRICS } from '../../stacks/metrics.ts';
import {
  dynamoReadyCommitter,
  type ReadyCommitResult,
  type ReadyVerdictEvent,
} from './adapters/dynamo-ready-committer.ts';
import { registryRuns } from './adapters/registry-runs.ts';
import { s3Gold } from './adapters/s3-gold.ts';
import type { ReadyConfig, ReadyPorts } from './ports.ts';
import type { GoldUnitResult, GoldUnitSizes, GoldUnitsDeps, GoldUnitsWork } from './units/gold-units.ts';

/** The worker that builds one unit of a big date's gold (topology `workers`). */
export const UNIT_WORKER = 'ready-publisher-gold-unit';

/** Optional row counts: dates above the first are built in units of about the second. */
export const UNITS_ABOVE_VARIABLE = 'FINLEDGER_GOLD_IN_UNITS_ABOVE_ROWS';
export const UNIT_ROWS_VARIABLE = 'FINLEDGER_GOLD_UNIT_ROWS';

/** Unit sizes from `config/limits.ts`, lowered by the environment in tests and small stages. */
export function unitSizesFromEnv(env: NodeJS.ProcessEnv = process.env): GoldUnitSizes {
  return {
    aboveRows: countFromEnv(UNITS_ABOVE_VARIABLE, GOLD_IN_UNITS_ABOVE_ROWS, 0, env),
    rowsPerUnit: countFromEnv(UNIT_ROWS_VARIABLE, GOLD_UNIT_ROWS, 1, env),
  };
}

/** Everything the handler needs from the world. */
export interface ReadyDeps {
  readonly ports: ReadyPorts;
  readonly config: ReadyConfig;
  commit(event: ReadyVerdictEvent): Promise<ReadyCommitResult>;
  /** Build dates above the unit size in units; absent, every date is built whole. */
  readonly units?: GoldUnitsDeps;
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
      units: {
        ledger: dynamoUnitLedger<GoldUnitsWork, GoldUnitResult>(clients.doc, files, {
          work: 'GOLD-UNITS',
          result: 'GOLD-UNIT',
          partition: (scope) => `GOLD#${scope}`,
        }),
        dispatch: sqsUnitDispatch(
          clients.sqs,
          () => resources.unitQueueUrl(UNIT_WORKER),
          'ReconciliationCompleted or SettlementsMatched',
        ),
        sizes: unitSizesFromEnv(),
      },
    },
    consumer: {
      service: 'ready-publisher',
      persistenceStore: idempotencyStore(clients.dynamodb, resources.table('idempotency')),
      logger: serviceLogger('ready-publisher'),
    },
    metrics: new Metrics({ namespace: BUSINESS_METRICS.namespace, serviceName: 'ready-publisher' }),
  };
}
