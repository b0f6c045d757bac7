import type { StageDocument } from '../lib/stage-resources/stage-document.ts';
import { stageDocumentParameter } from '../lib/stage-resources/stage-document.ts';
import type { Topology } from '../topology/types.ts';
import { lookup } from './lookup.ts';
import type { EventLogPlan } from './plan/event-log.ts';
import { names } from './plan/names.ts';
import { hasFailureQueue, unitWorkers } from './plan/queues.ts';
import type { RuleSpec } from './plan/rules.ts';
import type { Queues } from './queues.ts';
import type { Buckets } from './storage.ts';
import type { Tables } from './tables.ts';

/**
 * The stage document (`lib/stage-resources/`) as an SSM parameter, `/<app>/<stage>/resources`: how
 * `finledger <command> --stage <stage>` finds this stage's queues, rules, archives, tables and buckets with nothing
 * but AWS credentials. Names only; no secret is in it.
 */
export function createStageDocument(deps: {
  readonly topology: Topology;
  readonly bus: sst.aws.Bus;
  readonly archive: aws.cloudwatch.EventArchive;
  readonly notificationArchive: aws.cloudwatch.EventArchive | undefined;
  readonly queues: Queues;
  readonly rules: Readonly<Record<string, aws.cloudwatch.EventRule>>;
  readonly ruleSpecs: readonly RuleSpec[];
  readonly tables: Tables;
  readonly buckets: Buckets;
  readonly functions: Readonly<Record<string, sst.aws.Function>>;
  readonly eventLog: EventLogPlan;
}): aws.ssm.Parameter {
  const { topology } = deps;
  const queueName = (component: string) => lookup(deps.queues, component, 'queue').nodes.queue.name;
  const document = $resolve({
    region: aws.getRegionOutput().name,
    account: aws.getCallerIdentityOutput().accountId,
    bus: deps.bus.name,
    archive: deps.archive.name,
    notifications: deps.notificationArchive?.name ?? '',
    services: $resolve(
      Object.fromEntries(
        topology.services.map((service) => [
          service.name,
          $resolve({
            queue: queueName(names.queue(service.name)),
            dlq: queueName(names.dlq(service.name)),
            busDlq: queueName(names.deliveryDlq(service.name)),
          }),
        ]),
      ),
    ),
    workerDlqs: $resolve(
      Object.fromEntries(
        topology.workers
          .filter(hasFailureQueue)
          .map((worker) => [worker.name, queueName(names.dlq(worker.name))]),
      ),
    ),
    unitQueues: $resolve(
      Object.fromEntries(
        unitWorkers(topology).map(({ worker }) => [
          worker.name,
          $resolve({ queue: queueName(names.queue(worker.name)), dlq: queueName(names.dlq(worker.name)) }),
        ]),
      ),
    ),
    eventLogDlqs: $resolve(
      Object.fromEntries(
        deps.eventLog.streams.map((stream) => [stream.zone, queueName(stream.deadLetterQueue)]),
      ),
    ),
    rules: $resolve(
      Object.fromEntries(
        deps.ruleSpecs.map((spec) => [
          spec.name,
          $resolve({ name: lookup(deps.rules, spec.name, 'rule').name, bus: spec.bus }),
        ]),
      ),
    ),
    tables: $resolve(
      Object.fromEntries(
        topology.tables.map((table) => [table.name, lookup(deps.tables, table.name, 'table').name]),
      ),
    ),
    buckets: $resolve(
      Object.fromEntries(Object.entries(deps.buckets).map(([name, bucket]) => [name, bucket.name])),
    ),
    functions: $resolve(
      Object.fromEntries(
        topology.workers
          .filter((worker) => worker.trigger.kind === 'invoke')
          .map((worker) => {
            const fn = lookup(deps.functions, names.function(worker.name), 'function');
            return [worker.name, $resolve({ name: fn.name, url: fn.url })];
          }),
      ),
    ),
  }).apply(
    (resolved): StageDocument => ({
      app: topology.app,
      stage: $app.stage,
      region: resolved.region,
      account: resolved.account,
      bus: resolved.bus,
      archives: {
        bus: resolved.archive,
        ...(resolved.notifications ? { notifications: resolved.notifications } : {}),
      },
      services: resolved.services,
      workerDlqs: resolved.workerDlqs,
      unitQueues: resolved.unitQueues,
      eventLogDlqs: resolved.eventLogDlqs,
      rules: resolved.rules,
      tables: resolved.tables,
      buckets: resolved.buckets,
      functions: resolved.functions,
    }),
  );
  return new aws.ssm.Parameter(names.stageDocument(), {
    name: stageDocumentParameter(topology.app, $app.stage),
    type: 'String',
    // Standard (free, 4 KB) while the names fit, Advanced (8 KB, $0.05 a month) once the topology's queues and rules
    // outgrow it: a production stage's names passed 4 KB with the unit workers and RecordsDeduplicated v2's rules.
    tier: 'Intelligent-Tiering',
    description: `Where finledger's ${$app.stage} resources are, for the finledger CLI's --stage (names only).`,
    value: document.apply((value) => JSON.stringify(value)),
  });
}
