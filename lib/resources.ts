import { Resource } from 'sst';
import { linkNames } from '../topology/names.ts';
import type { BucketName, SecretName, TableName } from '../topology/types.ts';

type LinkValue = { name?: string; url?: string; arn?: string; value?: string };
type Linked = Record<string, LinkValue | undefined>;

function linkValue(link: string): LinkValue | undefined {
  // SST's own variable format, read per call: the offline runtime can restart on new ports in one
  // process, while `Resource` snapshots the environment on first use. In AWS, links come from SST.
  const variable = process.env[`SST_RESOURCE_${link}`];
  if (variable) return JSON.parse(variable) as LinkValue;
  try {
    return (Resource as unknown as Linked)[link];
  } catch {
    // SST throws when no links are active at all; the caller's error names the missing link instead.
    return undefined;
  }
}

function linked(link: string, field: 'name' | 'url' | 'arn' | 'value'): string {
  const value = linkValue(link)?.[field];
  if (!value) {
    throw new Error(
      `Resource link ${link}.${field} is missing. Link it to this function in stacks/ or start it through the local runtime.`,
    );
  }
  return value;
}

/** Names of the resources a handler was linked to, as SST links them (`SST_RESOURCE_*` / `Resource`). */
export const resources = {
  table: (name: TableName) => linked(linkNames.table(name), 'name'),
  bucket: (name: BucketName) => linked(linkNames.bucket(name), 'name'),
  busName: () => linked(linkNames.bus(), 'name'),
  queueUrl: (service: string) => linked(linkNames.queue(service), 'url'),
  /**
   * URL of a unit worker's queue (`trigger.kind === 'units'`), linked to the service that feeds it and to the worker.
   * @example await sqs.send(new SendMessageBatchCommand({ QueueUrl: resources.unitQueueUrl('schema-validate-chunk'), Entries }))
   */
  unitQueueUrl: (worker: string) => linked(linkNames.queue(worker), 'url'),
  /** A stage secret (`sst secret set`), linked to the functions whose topology entry declares it. */
  secret: (name: SecretName) => linked(name, 'value'),
} as const;
