import { topology as finledgerTopology } from '../topology/topology.ts';
import type { Topology } from '../topology/types.ts';
import { createAlarms } from './alarms.ts';
import { createBus, createNotificationArchive, createRules } from './bus.ts';
import { createEventLog } from './event-log.ts';
import { createKeys } from './keys.ts';
import { linkNamesOnly } from './links.ts';
import { lookup } from './lookup.ts';
import { createPartnerAccess } from './partner-access.ts';
import { names } from './plan/names.ts';
import { buildPlan } from './plan/plan.ts';
import { createQueuePolicies, createQueues } from './queues.ts';
import { createSchemas } from './schemas.ts';
import { createFunctions } from './services.ts';
import { stageConfig } from './stage-config.ts';
import { createStageDocument } from './stage-document.ts';
import { createBuckets } from './storage.ts';
import { createTables } from './tables.ts';

/**
 * Declare the whole stage from the topology.
 * 1. Derive the plan (plain data) for the stage's config.
 * 2. Keys, then the data stores encrypted with them.
 * 3. Bus and archive, queues, the rules feeding the queues, and the queue policies naming the rules.
 * 4. Functions with their links, permissions and triggers.
 * 5. Alarms to the on-call topic, and the schema registry.
 * `topology` is finledger's own; infra tests pass theirs to see what a topology entry declares.
 */
export function deploy(topology: Topology = finledgerTopology) {
  const config = stageConfig($app.stage);
  const plan = buildPlan(topology, config);
  linkNamesOnly();

  const keys = createKeys(plan.keys, config);
  const messagingKey = lookup(keys, names.messagingKey(), 'KMS key');
  const tables = createTables(plan.tables, keys);
  const buckets = createBuckets(plan.buckets, keys);
  // Partners assume these roles to deliver under inbound/<partner>/ of landing; outputs carry the role ARNs.
  const partnerAccess = createPartnerAccess(plan.partnerAccess, { buckets, keys });

  const { bus, archive } = createBus(config);
  const queues = createQueues(plan.queues, messagingKey);
  const rules = createRules(plan.rules, { bus, queues, buckets });
  const notificationArchive = createNotificationArchive(plan.rules, { buckets }, config);
  // Every bus event also lands in the event-log bucket: EventBridge cannot list an archive (replay --dry-run).
  const eventLog = createEventLog(plan.eventLog, plan.rules, { bus, buckets, keys, queues });
  createQueuePolicies(plan.queuePolicies, queues, { ...rules, ...eventLog.rules });

  // No placeholder: a stage deploys only once its secrets are set (`sst secret set <name> <value> --stage <stage>`).
  const secrets = Object.fromEntries(
    topology.secrets.map((secret) => [secret.name, new sst.Secret(secret.name)]),
  );
  const functions = createFunctions(plan.functions, { tables, buckets, queues, bus, keys, secrets }, config);

  const topic = createAlarms(
    plan.alarms,
    { queues, functions, streams: eventLog.streams },
    messagingKey,
    config,
  );
  // Where the CLI's --stage finds this stage's resources (an SSM parameter of names).
  const stageDocument = createStageDocument({
    topology,
    bus,
    archive,
    notificationArchive,
    queues,
    rules,
    ruleSpecs: plan.rules,
    tables,
    buckets,
    functions,
    eventLog: plan.eventLog,
  });
  const registry = createSchemas(plan.schemas);

  return {
    bus: bus.name,
    archive: archive.name,
    ...(notificationArchive ? { notificationArchive: notificationArchive.name } : {}),
    alarmTopic: topic.arn,
    stageDocument: stageDocument.name,
    schemaRegistry: registry.name,
    // Operator-invoked functions by their generated names: `aws lambda invoke --function-name <output>` (stacks/README.md).
    ...Object.fromEntries(
      topology.workers
        .filter((worker) => worker.trigger.kind === 'invoke')
        .map((worker) => [
          `${worker.name}Function`,
          lookup(functions, names.function(worker.name), 'function').name,
        ]),
    ),
    ...Object.fromEntries(Object.entries(buckets).map(([name, bucket]) => [`${name}Bucket`, bucket.name])),
    ...partnerAccess,
  };
}
