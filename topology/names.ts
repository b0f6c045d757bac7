import type { BucketName, TableName } from './types.ts';

/** PascalCase of a kebab name: `schema-validate` → `SchemaValidate`. */
function pascal(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * SST link names: the component name in `stacks/` and the key handlers read through `Resource`.
 * Offline, the runtime publishes the same keys as `SST_RESOURCE_<link>` variables.
 * @example linkNames.table('files') // 'FilesTable'
 */
export const linkNames = {
  table: (name: TableName) => `${pascal(name)}Table`,
  bucket: (name: BucketName) => `${pascal(name)}Bucket`,
  queue: (service: string) => `${pascal(service)}Queue`,
  dlq: (service: string) => `${pascal(service)}Dlq`,
  bus: () => 'Bus',
} as const;

/**
 * Physical names used by the offline runtime (and as a naming convention in AWS).
 * @example physicalName('dev', 'files') // 'finledger-dev-files'
 */
export function physicalName(stage: string, logical: string): string {
  return `finledger-${stage}-${logical}`;
}
