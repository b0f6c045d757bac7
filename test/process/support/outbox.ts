import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoOutboxStore } from '../../../lib/outbox/dynamo-outbox-store.ts';
import type { OutboxItem } from '../../../lib/outbox/outbox-item.ts';
import type { Runtime } from '../../../runtime/runtime.ts';

function outboxTable(runtime: Runtime): string {
  const table = runtime.resources.tables.outbox?.name;
  if (!table) throw new Error('The topology has no outbox table; check topology/topology.ts.');
  return table;
}

/** The outbox as the relay reads it, on a running runtime. */
export function outboxOf(runtime: Runtime): DynamoOutboxStore {
  return new DynamoOutboxStore(DynamoDBDocumentClient.from(runtime.clients.dynamodb), outboxTable(runtime));
}

/** Every outbox row of one event type about one file: what a consumer committed, published or not. */
export async function outboxRowsFor(runtime: Runtime, type: string, fileId: string): Promise<OutboxItem[]> {
  const rows: OutboxItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await DynamoDBDocumentClient.from(runtime.clients.dynamodb).send(
      new ScanCommand({
        TableName: outboxTable(runtime),
        FilterExpression: '#type = :type AND correlationId = :fileId',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': type, ':fileId': fileId },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    rows.push(...((page.Items ?? []) as OutboxItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rows;
}
