import { DEDUP_IN_UNITS_ABOVE_ROWS, DEDUP_UNIT_ROWS } from '../../config/limits.ts';
import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { idempotencyStore } from '../../lib/consumer/idempotency-store.ts';
import type { ConsumerDeps } from '../../lib/consumer/sqs-consumer.ts';
import { countFromEnv } from '../../lib/env.ts';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { resources } from '../../lib/resources.ts';
import { dynamoUnitLedger } from '../../lib/work-units/dynamo-unit-ledger.ts';
import { sqsUnitDispatch } from '../../lib/work-units/sqs-unit-dispatch.ts';
import {
  type DedupCommit,
  type DedupCommitResult,
  dynamoDedupCommitter,
} from './adapters/dynamo-dedup-committer.ts';
import { dynamoHistoryManifests } from './adapters/dynamo-history-manifests.ts';
import { s3Objects } from './adapters/s3-objects.ts';
import { DEFAULT_DEDUP_LIMITS, type DedupConfig, type DedupPorts } from './ports.ts';
import type { DedupUnitResult, DedupUnitSizes, DedupUnitsDeps, DedupUnitsWork } from './units/dedup-units.ts';

/** Optional days a claimed natural key is remembered for cross-file and cross-day dedup; default 400. */
export const RETENTION_DAYS_VARIABLE = 'FINLEDGER_DEDUP_RETENTION_DAYS';

/** Optional most part keys listed in RecordsDeduplicated per list (PARTS_LISTED_INLINE_MAX); lowered in tests. */
export const PARTS_LISTED_INLINE_MAX_VARIABLE = 'FINLEDGER_DEDUP_PARTS_LISTED_INLINE_MAX';

/** The worker that deduplicates one slice of a big file (topology `workers`). */
export const UNIT_WORKER = 'dedup-unit';

/** Optional row counts: files above the first are deduplicated in units of about the second. */
export const UNITS_ABOVE_VARIABLE = 'FINLEDGER_DEDUP_IN_UNITS_ABOVE_ROWS';
export const UNIT_ROWS_VARIABLE = 'FINLEDGER_DEDUP_UNIT_ROWS';

/** Unit sizes from `config/limits.ts`, lowered by the environment in tests and small stages. */
export function unitSizesFromEnv(env: NodeJS.ProcessEnv = process.env): DedupUnitSizes {
  return {
    aboveRows: countFromEnv(UNITS_ABOVE_VARIABLE, DEDUP_IN_UNITS_ABOVE_ROWS, 0, env),
    rowsPerUnit: countFromEnv(UNIT_ROWS_VARIABLE, DEDUP_UNIT_ROWS, 1, env),
  };
}

/** Everything the handler needs from the world. */
export interface DedupDeps {
  readonly ports: DedupPorts;
  readonly config: DedupConfig;
  commit(commit: DedupCommit): Promise<DedupCommitResult>;
  /** Dedup in units of files above the unit size; absent, every file is deduplicated whole. */
  readonly units?: DedupUnitsDeps;
}

export interface DedupSideEffects {
  readonly dedup: DedupDeps;
  readonly consumer: ConsumerDeps;
}

/**
 * The only place dedup builds SDK clients and reads configuration. Built on first use (per environment, so
 * the offline runtime can restart on new ports), never at import.
 */
export const sideEffects: () => DedupSideEffects = perEnvironment(build);

function build(): DedupSideEffects {
  const clients = sharedAwsClients();
  return {
    dedup: {
      ports: {
        objects: s3Objects(clients.s3),
        history: dynamoHistoryManifests(clients.doc, resources.table('dedup-history')),
        now: () => new Date(),
      },
      config: configFromEnv(),
      commit: dynamoDedupCommitter(clients.doc, {
        files: resources.table('files'),
        outbox: resources.table('outbox'),
      }),
      units: {
        ledger: dynamoUnitLedger<DedupUnitsWork, DedupUnitResult>(clients.doc, resources.table('files'), {
          work: 'DEDUP-UNITS',
          result: 'DEDUP-UNIT',
        }),
        dispatch: sqsUnitDispatch(clients.sqs, () => resources.unitQueueUrl(UNIT_WORKER), 'FileValidated'),
        sizes: unitSizesFromEnv(),
      },
    },
    consumer: {
      service: 'dedup',
      persistenceStore: idempotencyStore(clients.dynamodb, resources.table('idempotency')),
      logger: serviceLogger('dedup'),
    },
  };
}

/** Config from linked resources and the environment; fails fast naming the variable at fault. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DedupConfig {
  return {
    ...DEFAULT_DEDUP_LIMITS,
    buckets: { silver: resources.bucket('silver'), quarantine: resources.bucket('quarantine') },
    retentionDays: countFromEnv(RETENTION_DAYS_VARIABLE, DEFAULT_DEDUP_LIMITS.retentionDays, 1, env),
    partsListedInlineMax: countFromEnv(
      PARTS_LISTED_INLINE_MAX_VARIABLE,
      DEFAULT_DEDUP_LIMITS.partsListedInlineMax,
      0,
      env,
    ),
  };
}
