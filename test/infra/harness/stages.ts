import { beforeAll } from 'vitest';
import { buildPlan, type Plan } from '../../../stacks/plan/plan.ts';
import { type StageConfig, stageConfig } from '../../../stacks/stage-config.ts';
import { topology } from '../../../topology/topology.ts';
import { type ArnIndex, indexArns } from './arns.ts';
import { type DeclaredResource, ofType, runStack, type StackRun, TEST_PRODUCTION_ENV } from './sst-mocks.ts';

/** One stage's run of the real sst.config.ts under Pulumi mocks, with its ARN index and plan. */
export interface Stage {
  readonly run: StackRun;
  readonly arns: ArnIndex;
  readonly plan: Plan;
  /** The stage's settings as the run saw them (production with TEST_PRODUCTION_ENV). */
  readonly config: StageConfig;
}

export type StageName = 'dev' | 'production';
export const STAGES: readonly StageName[] = ['dev', 'production'];

/** Both stages' runs, made once per worker: infra files share a worker (vitest.config.ts, project `infra`). */
let runs: Promise<ReadonlyMap<StageName, Stage>> | undefined;

async function runStages(): Promise<ReadonlyMap<StageName, Stage>> {
  const stages = new Map<StageName, Stage>();
  for (const name of STAGES) {
    const run = await runStack(name);
    const config = stageConfig(name, name === 'production' ? TEST_PRODUCTION_ENV : {});
    stages.set(name, { run, arns: indexArns(run), plan: buildPlan(topology, config), config });
  }
  return stages;
}

/**
 * The program run for a development stage and for production, once per worker and read by every infra file.
 * @example const stage = useStages(); it('…', () => stage('dev').run.resources)
 */
export function useStages(): (name: StageName) => Stage {
  let stages: ReadonlyMap<StageName, Stage> | undefined;
  beforeAll(async () => {
    runs ??= runStages();
    stages = await runs;
  });
  return (name) => {
    const stage = stages?.get(name);
    if (!stage) throw new Error(`stage ${name} did not run`);
    return stage;
  };
}

export const units = [...topology.services, ...topology.workers];
export const subscriptions = topology.services.flatMap((service) =>
  service.subscriptions.map((sub) => ({ service, sub })),
);

/** The one resource of a type and name; anything else is a failure. */
export function one(run: StackRun, type: string, name: string): DeclaredResource {
  const found = ofType(run, type).filter((resource) => resource.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0] as DeclaredResource;
}

export function json<T = Record<string, unknown>>(value: unknown): T {
  return JSON.parse(String(value)) as T;
}

/** A statement as SST passes it to `aws.iam.getPolicyDocument` (lower-case keys). */
export interface Statement {
  effect?: string;
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** The statements of a function role's inline policy. */
export function inlineStatements(run: StackRun, functionName: string): Statement[] {
  const role = one(run, 'aws:iam/role:Role', `${functionName}Role`);
  const [inline] = role.inputs.inlinePolicies as { policy: string }[];
  return json<{ Statement: Statement[] }>(inline?.policy).Statement;
}
