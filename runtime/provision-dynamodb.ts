import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { IndexSpec, KeySpec, TableSpec } from '../topology/types.ts';

/** A table as provisioned: physical name, ARN and, for stream-driven tables, the stream ARN. */
export interface ProvisionedTable {
  readonly name: string;
  readonly arn: string;
  readonly streamArn?: string;
}

/** Thrown when persisted state cannot be converged to the topology without losing data. */
export class ProvisionConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisionConflictError';
  }
}

/**
 * Create the table if missing, else converge what can change in place (new GSIs, stream, TTL).
 * Key changes cannot be made in place, in AWS or here: that is an error naming the fix.
 */
export async function ensureTable(
  client: DynamoDBClient,
  spec: TableSpec,
  name: string,
): Promise<ProvisionedTable> {
  let table = await describeTable(client, name);
  if (!table) {
    await client.send(new CreateTableCommand(createTableInput(spec, name)));
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
  } else {
    assertSameKeys(name, table.KeySchema ?? [], keySchema(spec));
    await addMissingIndexes(client, spec, name, table);
    await enableStreamIfMissing(client, spec, name, table);
  }
  await ensureTtl(client, spec, name);
  table = await describeTable(client, name);
  if (!table?.TableArn)
    throw new Error(
      `Table ${name} vanished while provisioning it. Is another process resetting the state folder?`,
    );
  return {
    name,
    arn: table.TableArn,
    ...(table.LatestStreamArn ? { streamArn: table.LatestStreamArn } : {}),
  };
}

async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function createTableInput(spec: TableSpec, name: string) {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeDefinitions(spec),
    KeySchema: keySchema(spec),
    ...(spec.indexes.length > 0 ? { GlobalSecondaryIndexes: spec.indexes.map(globalIndex) } : {}),
    ...(spec.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } } : {}),
  };
}

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const keys = [
    spec.partitionKey,
    spec.sortKey,
    ...spec.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  const byName = new Map<string, KeySpec>();
  for (const key of keys) if (key) byName.set(key.name, key);
  return [...byName.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
}

function keySchema(spec: { partitionKey: KeySpec; sortKey?: KeySpec }): KeySchemaElement[] {
  return [
    { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
    ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function globalIndex(index: IndexSpec): GlobalSecondaryIndex {
  // ALL projection: the sparse indexes are read by the relay and the watchdog as whole items.
  return { IndexName: index.name, KeySchema: keySchema(index), Projection: { ProjectionType: 'ALL' } };
}

function assertSameKeys(name: string, actual: KeySchemaElement[], expected: KeySchemaElement[]): void {
  const show = (keys: KeySchemaElement[]) =>
    keys.map((key) => `${key.AttributeName}:${key.KeyType}`).join(',');
  if (show(actual) !== show(expected)) {
    throw new ProvisionConflictError(
      `Table ${name} exists with keys [${show(actual)}] but the topology declares [${show(expected)}]. ` +
        'Keys cannot change in place: delete the local state folder (or the table) and start again.',
    );
  }
}

async function addMissingIndexes(
  client: DynamoDBClient,
  spec: TableSpec,
  name: string,
  table: TableDescription,
) {
  const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  // DynamoDB accepts one GSI creation per UpdateTable call.
  for (const index of spec.indexes.filter((candidate) => !existing.has(candidate.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [{ Create: globalIndex(index) }],
      }),
    );
  }
}

async function enableStreamIfMissing(
  client: DynamoDBClient,
  spec: TableSpec,
  name: string,
  table: TableDescription,
) {
  if (!spec.stream) return;
  const current = table.StreamSpecification;
  if (current?.StreamEnabled && current.StreamViewType === spec.stream) return;
  if (current?.StreamEnabled) {
    throw new ProvisionConflictError(
      `Table ${name} streams ${current.StreamViewType} but the topology declares ${spec.stream}. ` +
        'Disable the stream first or delete the local state folder.',
    );
  }
  await client.send(
    new UpdateTableCommand({
      TableName: name,
      StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream },
    }),
  );
}

async function ensureTtl(client: DynamoDBClient, spec: TableSpec, name: string): Promise<void> {
  if (!spec.ttlAttribute) return;
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: name }),
  );
  if (ttl?.TimeToLiveStatus === 'ENABLED' && ttl.AttributeName === spec.ttlAttribute) return;
  // UpdateTimeToLive rejects a call that changes nothing, so it runs only when the state differs.
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { Enabled: true, AttributeName: spec.ttlAttribute },
    }),
  );
}
