/**
 * Make linking carry names only. SST's built-in links also grant `dynamodb:*`, `s3:*`, `sqs:*` and
 * `events:*` on the linked resource; finledger's permissions come from stacks/plan/iam.ts instead,
 * narrowed to the actions, prefixes and keys each function's topology entry declares. The properties
 * match what runtime/resource-env.ts sets offline.
 * https://sst.dev/docs/component/linkable/#modify-built-in-links
 */
export function linkNamesOnly(): void {
  sst.Linkable.wrap(sst.aws.Dynamo, (table) => ({ properties: { name: table.name, arn: table.arn } }));
  sst.Linkable.wrap(sst.aws.Bucket, (bucket) => ({ properties: { name: bucket.name } }));
  sst.Linkable.wrap(sst.aws.Queue, (queue) => ({
    properties: { name: queue.nodes.queue.name, url: queue.url, arn: queue.arn },
  }));
  sst.Linkable.wrap(sst.aws.Bus, (bus) => ({ properties: { name: bus.name, arn: bus.arn } }));
}
