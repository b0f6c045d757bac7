import { partners } from '../../config/partners.ts';
import { eventCatalog } from '../../contracts/events/catalog.ts';
import type { Topology } from '../../topology/types.ts';
import type { StageConfig } from '../stage-config.ts';
import { type AlarmSpec, planAlarms } from './alarms.ts';
import { type EventLogPlan, eventLogQueues, planEventLog } from './event-log.ts';
import { type FunctionSpec, planFunctions } from './functions.ts';
import { planStatements, type StatementSpec } from './iam.ts';
import { names } from './names.ts';
import { type PartnerAccessPlan, planPartnerAccess } from './partner-access.ts';
import { planQueues, type QueueSpec, TopologyRuleError } from './queues.ts';
import { planQueuePolicies, planRules, type QueuePolicySpec, type RuleSpec } from './rules.ts';
import { planSchemas, type SchemaPlan } from './schemas.ts';
import {
  type BucketPlan,
  type KeyPlan,
  planBuckets,
  planKeys,
  planTables,
  type TablePlan,
} from './storage.ts';

/**
 * Everything the stacks declare for one stage, as plain data derived from the topology. The stacks
 * only hand these specs to SST/Pulumi; the tests assert on them without Pulumi.
 */
export interface Plan {
  readonly config: StageConfig;
  readonly keys: readonly KeyPlan[];
  readonly tables: readonly TablePlan[];
  readonly buckets: readonly BucketPlan[];
  readonly queues: readonly QueueSpec[];
  readonly queuePolicies: readonly QueuePolicySpec[];
  readonly rules: readonly RuleSpec[];
  readonly functions: readonly (FunctionSpec & { readonly statements: readonly StatementSpec[] })[];
  readonly alarms: readonly AlarmSpec[];
  readonly schemas: readonly SchemaPlan[];
  readonly eventLog: EventLogPlan;
  readonly partnerAccess: PartnerAccessPlan;
}

/** Names of every component a plan declares (the bus, archive, topic and registry included). */
export function componentNames(plan: Plan): string[] {
  return [
    names.bus(),
    names.archive(),
    names.alarmTopic(),
    names.schemaRegistry(),
    ...plan.keys.map((key) => key.name),
    ...plan.tables.map((table) => table.name),
    ...plan.buckets.map((bucket) => bucket.name),
    ...plan.queues.map((queue) => queue.name),
    ...plan.rules.map((rule) => rule.name),
    ...plan.functions.map((spec) => spec.name),
    ...plan.alarms.map((alarm) => alarm.name),
    ...plan.schemas.map((schema) => schema.name),
    ...plan.eventLog.streams.flatMap((stream) => [stream.name, stream.rule, stream.role]),
    plan.eventLog.sendRole,
    ...plan.partnerAccess.roles.map((role) => role.name),
  ];
}

/** SST requires top-level component names to be unique, case-insensitively. */
function assertUniqueNames(plan: Plan): void {
  const seen = new Set<string>();
  for (const name of componentNames(plan)) {
    if (seen.has(name.toLowerCase())) {
      throw new TopologyRuleError(`Two resources would both be named ${name}; rename one in topology.ts.`);
    }
    seen.add(name.toLowerCase());
  }
}

/**
 * Derive the plan of a stage from the topology.
 * @example const plan = buildPlan(topology, stageConfig('dev'))
 */
export function buildPlan(topology: Topology, config: StageConfig): Plan {
  const tables = planTables(topology, config);
  const buckets = planBuckets(topology, config);
  const rules = planRules(topology);
  const eventLog = planEventLog(topology, rules);
  const queues = [...planQueues(topology), ...eventLogQueues(eventLog)];
  const functions = planFunctions(topology).map((spec) => ({ ...spec, statements: planStatements(spec) }));
  const plan: Plan = {
    config,
    keys: planKeys(tables, buckets, config),
    tables,
    buckets,
    queues,
    queuePolicies: planQueuePolicies(
      queues.map((queue) => queue.name),
      [
        ...rules,
        ...eventLog.streams.map((stream) => ({ name: stream.rule, deadLetterQueue: stream.deadLetterQueue })),
      ],
    ),
    rules,
    functions,
    alarms: planAlarms(queues, functions, config, eventLog),
    schemas: planSchemas(eventCatalog, topology),
    eventLog,
    partnerAccess: planPartnerAccess(partners, topology, config),
  };
  assertUniqueNames(plan);
  return plan;
}
