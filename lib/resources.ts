import { Resource } from 'sst';
import { linkNames } from '../topology/names.ts';
import type { BucketName, TableName } from '../topology/types.ts';

type Linked = Record<string, { name?: string; url?: string; arn?: string } | undefined>;

function linked(link: string, field: 'name' | 'url' | 'arn'): string {
  // One code path: in AWS, SST injects the links; offline, runtime/ sets the same SST_RESOURCE_* variables.
  const value = (Resource as unknown as Linked)[link]?.[field];
  if (!value) {
    throw new Error(`Resource link ${link}.${field} is missing. Link it to this function in stacks/ or start it through the local runtime.`);
  }
  return value;
}

/** Names of the resources a handler was linked to, read through SST's `Resource`. */
export const resources = {
  table: (name: TableName) => linked(linkNames.table(name), 'name'),
  bucket: (name: BucketName) => linked(linkNames.bucket(name), 'name'),
  busName: () => linked(linkNames.bus(), 'name'),
  queueUrl: (service: string) => linked(linkNames.queue(service), 'url'),
} as const;
