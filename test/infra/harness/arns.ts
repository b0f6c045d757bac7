import { type DeclaredResource, mockState, type StackRun } from './sst-mocks.ts';

/** What an ARN in a policy points at, by the component name that declared it. */
export type Target =
  | { kind: 'table'; component: string; suffix: string }
  | { kind: 'bucket'; component: string; path: string | null }
  | { kind: 'queue' | 'key' | 'bus' | 'rule' | 'function'; component: string };

/** SST names a component's main resource `<component><Kind>`; raw resources keep the component name. */
const CHILD_SUFFIX: Record<string, { kind: Target['kind']; suffix: string }> = {
  'aws:dynamodb/table:Table': { kind: 'table', suffix: 'Table' },
  'aws:s3/bucket:Bucket': { kind: 'bucket', suffix: 'Bucket' },
  'aws:sqs/queue:Queue': { kind: 'queue', suffix: 'Queue' },
  'aws:kms/key:Key': { kind: 'key', suffix: '' },
  'aws:cloudwatch/eventBus:EventBus': { kind: 'bus', suffix: 'Bus' },
  'aws:cloudwatch/eventRule:EventRule': { kind: 'rule', suffix: '' },
  'aws:lambda/function:Function': { kind: 'function', suffix: 'Function' },
};

export interface ArnIndex {
  /** ARN (and physical name) of a component's main resource. */
  arn(component: string, kind: Target['kind']): string;
  physicalName(component: string, kind: Target['kind']): string;
  /** Resolve a policy resource ARN; undefined when it names nothing this stack declared. */
  resolve(arn: string): Target | undefined;
}

function stateOf(resource: DeclaredResource): Record<string, string> {
  return mockState(resource.type, resource.name, resource.inputs) as Record<string, string>;
}

export function indexArns(run: StackRun): ArnIndex {
  const byComponent = new Map<string, { arn: string; physical: string }>();
  const byArn = new Map<string, { kind: Target['kind']; component: string }>();
  for (const resource of run.resources) {
    const child = CHILD_SUFFIX[resource.type];
    if (!child || !resource.name.endsWith(child.suffix)) continue;
    const component = resource.name.slice(0, resource.name.length - child.suffix.length);
    const state = stateOf(resource);
    const arn = state.arn ?? '';
    byComponent.set(`${child.kind}:${component}`, { arn, physical: state.name ?? state.bucket ?? '' });
    byArn.set(arn, { kind: child.kind, component });
  }
  const lookup = (component: string, kind: Target['kind']) => {
    const found = byComponent.get(`${kind}:${component}`);
    if (!found) throw new Error(`No ${kind} component ${component} was declared`);
    return found;
  };
  return {
    arn: (component, kind) => lookup(component, kind).arn,
    physicalName: (component, kind) => lookup(component, kind).physical,
    resolve(arn) {
      const exact = byArn.get(arn);
      if (exact?.kind === 'table') return { kind: 'table', component: exact.component, suffix: '' };
      if (exact?.kind === 'bucket') return { kind: 'bucket', component: exact.component, path: null };
      if (exact) return exact as Target;
      for (const [known, target] of byArn) {
        if (target.kind === 'table' && arn.startsWith(`${known}/`)) {
          return { kind: 'table', component: target.component, suffix: arn.slice(known.length) };
        }
        if (target.kind === 'bucket' && arn.startsWith(`${known}/`)) {
          return { kind: 'bucket', component: target.component, path: arn.slice(known.length + 1) };
        }
      }
      return undefined;
    },
  };
}
