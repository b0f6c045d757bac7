import {
  MATCH_IN_UNITS_ABOVE_ROWS,
  MATCH_PLAN_BATCH_ROWS,
  MATCH_UNIT_PART_ROWS,
  MATCH_UNIT_ROWS,
} from '../../config/limits.ts';
import { perEnvironment, sharedAwsClients } from '../../lib/aws/clients.ts';
import { idempotencyStore } from '../../lib/consumer/idempotency-store.ts';
import type { ConsumerDeps } from '../../lib/consumer/sqs-consumer.ts';
import { countFromEnv } from '../../lib/env.ts';
import { FileRegistryStore } from '../../lib/file-registry/file-registry-store.ts';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { resources } from '../../lib/resources.ts';
import { dynamoUnitLedger } from '../../lib/work-units/dynamo-unit-ledger.ts';
import { sqsUnitDispatch } from '../../lib/work-units/sqs-unit-dispatch.ts';
import {
  dynamoMatchCommitter,
  type MatchCommit,
  type MatchCommitResult,
  matchPartition,
} from './adapters/dynamo-match-committer.ts';
import { registryDedupRuns, registryFilesAwaitingDedup } from './adapters/registry-dedup-runs.ts';
import { s3Objects } from './adapters/s3-objects.ts';
import { DEFAULT_MATCH_LIMITS, type SettlementMatchConfig, type SettlementMatchPorts } from './ports.ts';
import type {
  MatchUnitResult,
  MatchUnitSizes,
  MatchUnitsDeps,
  MatchUnitsWork,
} from './units/match-unit-run.ts';

/** The worker that matches one unit of a big window (topology `workers`). */
export const UNIT_WORKER = 'settlement-match-unit';

/**
 * Optional row counts: windows above the first are matched in units of about the second, moved in parts of the
 * third, the planner writing them out a batch of about the fourth at a time.
 */
export const UNITS_ABOVE_VARIABLE = 'FINLEDGER_MATCH_IN_UNITS_ABOVE_ROWS';
export const UNIT_ROWS_VARIABLE = 'FINLEDGER_MATCH_UNIT_ROWS';
export const UNIT_PART_ROWS_VARIABLE = 'FINLEDGER_MATCH_UNIT_PART_ROWS';
export const PLAN_BATCH_ROWS_VARIABLE = 'FINLEDGER_MATCH_PLAN_BATCH_ROWS';

/** Optional most result part keys listed in SettlementsMatched (PARTS_LISTED_INLINE_MAX); lowered in tests. */
export const PARTS_LISTED_INLINE_MAX_VARIABLE = 'FINLEDGER_MATCH_PARTS_LISTED_INLINE_MAX';

/** Limits from `config/limits.ts`, the listed result parts lowered by the environment in tests. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SettlementMatchConfig {
  return {
    ...DEFAULT_MATCH_LIMITS,
    silverBucket: resources.bucket('silver'),
    partsListedInlineMax: countFromEnv(
      PARTS_LISTED_INLINE_MAX_VARIABLE,
      DEFAULT_MATCH_LIMITS.partsListedInlineMax,
      0,
      env,
    ),
  };
}

/** Unit sizes from `config/limits.ts`, lowered by the environment in tests and small stages. */
export function unitSizesFromEnv(env: NodeJS.ProcessEnv = process.env): MatchUnitSizes {
  return {
    aboveRows: countFromEnv(UNITS_ABOVE_VARIABLE, MATCH_IN_UNITS_ABOVE_ROWS, 0, env),
    rowsPerUnit: countFromEnv(UNIT_ROWS_VARIABLE, MATCH_UNIT_ROWS, 1, env),
    rowsPerPart: countFromEnv(UNIT_PART_ROWS_VARIABLE, MATCH_UNIT_PART_ROWS, 1, env),
    rowsPerBatch: countFromEnv(PLAN_BATCH_ROWS_VARIABLE, MATCH_PLAN_BATCH_ROWS, 1, env),
  };
}

/** Everything the handler needs from the world. */
export interface SettlementMatchDeps {
  readonly ports: SettlementMatchPorts;
  readonly config: SettlementMatchConfig;
  commit(commit: MatchCommit): Promise<MatchCommitResult>;
  /** Match windows above the unit size in units; absent, every window is matched whole. */
  readonly units?: MatchUnitsDeps;
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
      config: configFromEnv(),
      commit: dynamoMatchCommitter(clients.doc, { files, outbox: resources.table('outbox') }),
      units: {
        ledger: dynamoUnitLedger<MatchUnitsWork, MatchUnitResult>(clients.doc, files, {
          work: 'MATCH-UNITS',
          result: 'MATCH-UNIT',
          partition: matchPartition,
        }),
        dispatch: sqsUnitDispatch(
          clients.sqs,
          () => resources.unitQueueUrl(UNIT_WORKER),
          'RecordsDeduplicated',
        ),
        sizes: unitSizesFromEnv(),
      },
    },
    consumer: {
      service: 'settlement-match',
      persistenceStore: idempotencyStore(clients.dynamodb, resources.table('idempotency')),
      logger: serviceLogger('settlement-match'),
    },
  };
}
