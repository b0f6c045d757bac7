import { loadResourceEnvironment } from 'sst/resource/shared';
import { type AwsService, endpointVariable } from '../lib/aws/client-config.ts';
import { linkNames } from '../topology/names.ts';
import type { BucketName, TableName, Topology } from '../topology/types.ts';
import type { ProvisionedResources } from './provision.ts';

/** Endpoints the handlers' SDK clients must use offline (`eventbridge` is the local bus). */
export type ResourceEndpoints = Readonly<Record<AwsService, string>>;

/**
 * The environment a deployed handler would see, built from what was provisioned:
 * `SST_RESOURCE_<link>` JSON per linked resource (read by lib/resources.ts through SST's `Resource`),
 * `SST_RESOURCE_App`, the `FINLEDGER_ENDPOINT_*` overrides read by lib/aws/client-config.ts, and the region.
 * @example applyResourceEnv(resourceEnv(resources, { ...emulators.endpoints, eventbridge: bus.endpoint }));
 */
export function resourceEnv(
  resources: ProvisionedResources,
  endpoints: ResourceEndpoints,
  secrets: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: resources.region,
    SST_RESOURCE_App: JSON.stringify({ name: resources.app, stage: resources.stage }),
  };
  const link = (name: string, value: Record<string, string>) => {
    env[`SST_RESOURCE_${name}`] = JSON.stringify(value);
  };
  for (const [logical, table] of Object.entries(resources.tables)) {
    link(linkNames.table(logical as TableName), { name: table.name, arn: table.arn });
  }
  for (const [logical, bucket] of Object.entries(resources.buckets)) {
    link(linkNames.bucket(logical as BucketName), { name: bucket.name });
  }
  for (const [service, queues] of Object.entries(resources.services)) {
    link(linkNames.queue(service), { ...queues.queue });
    link(linkNames.dlq(service), { ...queues.dlq });
  }
  // Unit queues under the link names AWS gives them (`resources.unitQueueUrl`).
  for (const [worker, queues] of Object.entries(resources.units)) {
    link(linkNames.queue(worker), { ...queues.queue });
    link(linkNames.dlq(worker), { ...queues.dlq });
  }
  link(linkNames.bus(), { name: resources.bus.name, arn: resources.bus.arn });
  for (const [name, value] of Object.entries(secrets)) link(name, { value });
  for (const [service, endpoint] of Object.entries(endpoints)) {
    env[endpointVariable(service as AwsService)] = endpoint;
  }
  return env;
}

/**
 * Set the variables on `process.env` (handlers run in this process) and return a function that restores
 * the previous values.
 *
 * SST's `Resource` reads the environment once, on first access, and caches it in a process-wide object.
 * Call this before any handler module is imported or invoked. It also pushes the values into that cache
 * (`loadResourceEnvironment`), so a second runtime in the same process (a restart on new ports) is seen.
 */
/**
 * Offline values of the topology's secrets, from their `offlineVariable`s. A secret whose variable is
 * unset stays unlinked, so the handler that needs it fails fast naming it, as it would in AWS.
 */
export function offlineSecrets(
  topology: Topology,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return Object.fromEntries(
    topology.secrets.flatMap((secret) => {
      const value = env[secret.offlineVariable];
      return value ? [[secret.name, value]] : [];
    }),
  );
}

export function applyResourceEnv(env: Readonly<Record<string, string>>): () => void {
  const previous = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  loadResourceEnvironment(env);
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
