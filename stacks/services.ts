import type { BucketName, TableName } from '../topology/types.ts';
import type { Keys } from './keys.ts';
import { lookup } from './lookup.ts';
import { type FunctionSpec, STREAM_RETRY } from './plan/functions.ts';
import type { ResourceRef, StatementSpec } from './plan/iam.ts';
import { names } from './plan/names.ts';
import type { Queues } from './queues.ts';
import type { StageConfig } from './stage-config.ts';
import type { Buckets } from './storage.ts';
import type { Tables } from './tables.ts';

export interface ServiceDeps {
  readonly tables: Tables;
  readonly buckets: Buckets;
  readonly queues: Queues;
  readonly bus: sst.aws.Bus;
  readonly keys: Keys;
  /** Stage secrets by name (`sst secret set`), linked to the functions that declare them. */
  readonly secrets: Readonly<Record<string, sst.Secret>>;
}

type Linkable = sst.aws.Dynamo | sst.aws.Bucket | sst.aws.Queue | sst.aws.Bus | sst.Secret;

function arnOf(ref: ResourceRef, deps: ServiceDeps): $util.Input<string> {
  switch (ref.kind) {
    case 'table':
      return $interpolate`${deps.tables[ref.table].arn}${ref.suffix}`;
    case 'bucket':
      return ref.path === null
        ? deps.buckets[ref.bucket].arn
        : $interpolate`${deps.buckets[ref.bucket].arn}/${ref.path}`;
    case 'queue':
      return lookup(deps.queues, ref.queue, 'queue').arn;
    case 'key':
      return lookup(deps.keys, ref.key, 'KMS key').arn;
    case 'bus':
      return deps.bus.arn;
  }
}

function permissions(statements: readonly StatementSpec[], deps: ServiceDeps) {
  return statements.map((statement) => ({
    actions: [...statement.actions],
    resources: statement.resources.map((ref) => arnOf(ref, deps)),
    ...(statement.conditions
      ? {
          conditions: statement.conditions.map((condition) => ({
            ...condition,
            values: [...condition.values],
          })),
        }
      : {}),
  }));
}

function linkables(deps: ServiceDeps): Record<string, Linkable> {
  return {
    ...Object.fromEntries(
      Object.entries(deps.tables).map(([table, dynamo]) => [names.table(table as TableName), dynamo]),
    ),
    ...Object.fromEntries(
      Object.entries(deps.buckets).map(([bucket, s3]) => [names.bucket(bucket as BucketName), s3]),
    ),
    ...deps.queues,
    [names.bus()]: deps.bus,
    ...deps.secrets,
  };
}

/** EventBridge Scheduler invokes the function; failed deliveries go to the worker's DLQ. */
function createSchedule(
  spec: FunctionSpec,
  fn: sst.aws.Function,
  expression: string,
  dlq: sst.aws.Queue,
  deps: ServiceDeps,
) {
  const role = new aws.iam.Role(`${spec.name}ScheduleRole`, {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'scheduler.amazonaws.com' }),
    inlinePolicies: [
      {
        name: 'invoke-and-dead-letter',
        policy: $jsonStringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fn.arn },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: dlq.arn },
            {
              Effect: 'Allow',
              Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
              Resource: lookup(deps.keys, names.messagingKey(), 'KMS key').arn,
              Condition: { StringLike: { 'kms:ViaService': 'sqs.*.amazonaws.com' } },
            },
          ],
        }),
      },
    ],
  });
  new aws.scheduler.Schedule(`${spec.name}Schedule`, {
    scheduleExpression: expression,
    flexibleTimeWindow: { mode: 'OFF' },
    target: {
      arn: fn.arn,
      roleArn: role.arn,
      // A missed run is superseded by the next one; two retries cover transient invoke errors.
      retryPolicy: { maximumRetryAttempts: 2 },
      deadLetterConfig: { arn: dlq.arn },
    },
  });
}

function createTrigger(spec: FunctionSpec, fn: sst.aws.Function, deps: ServiceDeps): void {
  const trigger = spec.trigger;
  switch (trigger.kind) {
    case 'queue':
      // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
      new aws.lambda.EventSourceMapping(`${spec.name}Source`, {
        eventSourceArn: lookup(deps.queues, trigger.queue, 'queue').arn,
        functionName: fn.name,
        batchSize: trigger.batchSize,
        maximumBatchingWindowInSeconds: trigger.maximumBatchingWindowSeconds,
        functionResponseTypes: ['ReportBatchItemFailures'],
      });
      return;
    case 'stream':
      new aws.lambda.EventSourceMapping(`${spec.name}Source`, {
        eventSourceArn: deps.tables[trigger.table].nodes.table.streamArn,
        functionName: fn.name,
        // Start from the oldest record so entries written before the mapping existed are published too.
        startingPosition: 'TRIM_HORIZON',
        batchSize: trigger.batchSize,
        functionResponseTypes: ['ReportBatchItemFailures'],
        maximumRetryAttempts: STREAM_RETRY.maximumRetryAttempts,
        bisectBatchOnFunctionError: STREAM_RETRY.bisectBatchOnFunctionError,
        destinationConfig: {
          onFailure: { destinationArn: lookup(deps.queues, trigger.onFailure, 'DLQ').arn },
        },
      });
      return;
    case 'schedule':
      createSchedule(spec, fn, trigger.expression, lookup(deps.queues, trigger.dlq, 'DLQ'), deps);
      return;
    case 'invoke':
      // The operator calls its IAM-authorised URL (above); nothing else may.
      return;
  }
}

/**
 * A DuckDB function: the native binding cannot be bundled, so `install` ships @duckdb/node-api into the package's
 * node_modules as npm installs it on the deploying machine (linux-x64 in CI), hence x86_64; /tmp holds the staged
 * Parquet and the spill files (the engine's memory limit is 1 GB of the 2 GB function).
 */
const SET_ENGINE_FUNCTION = {
  architecture: 'x86_64' as const,
  nodejs: { install: ['@duckdb/node-api'] },
  storage: '10 GB' as const,
};

/**
 * One Lambda per service and worker (Node.js 22 on arm64, DuckDB ones on x86_64), linked to the resources its handler
 * reads through `Resource`, with exactly the IAM statements of stacks/plan/iam.ts, and its trigger.
 */
export function createFunctions(
  specs: readonly (FunctionSpec & { readonly statements: readonly StatementSpec[] })[],
  deps: ServiceDeps,
  config: StageConfig,
): Record<string, sst.aws.Function> {
  const links = linkables(deps);
  const functions: Record<string, sst.aws.Function> = {};
  for (const spec of specs) {
    const fn = new sst.aws.Function(spec.name, {
      handler: spec.handler,
      runtime: 'nodejs22.x',
      ...(spec.setEngine ? SET_ENGINE_FUNCTION : { architecture: 'arm64' as const }),
      memory: `${spec.memoryMb} MB`,
      timeout: `${spec.timeoutSeconds} seconds`,
      link: spec.links.map((name) => lookup(links, name, 'linkable resource')),
      permissions: permissions(spec.statements, deps),
      environment: { ...spec.environment },
      logging: { retention: config.logRetention, format: 'json' },
      // An operator-invoked function is called through its URL, IAM-authorised: Lambda hands the function the signer's
      // ARN, so what it does records who asked (`finledger rerun --stage`). Only principals allowed
      // lambda:InvokeFunctionUrl on it can call it.
      ...(spec.trigger.kind === 'invoke' ? { url: { authorization: 'iam' as const } } : {}),
    });
    createTrigger(spec, fn, deps);
    functions[spec.name] = fn;
  }
  return functions;
}
