import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type OutboxItem, outboxKey, PENDING_SHARDS, PUBLISHED_RETENTION_SECONDS } from './outbox-item.ts';

/** The outbox table as the relay and the watchdog use it. */
export class DynamoOutboxStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly pendingIndex = 'pending',
  ) {}

  /** Oldest pending entries first, across every shard of the sparse pending index. */
  async listPending(limitPerShard = 100): Promise<OutboxItem[]> {
    const shards = Array.from({ length: PENDING_SHARDS }, (_, shard) => `PENDING#${shard}`);
    const pages = await Promise.all(
      shards.map((shard) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: this.pendingIndex,
            KeyConditionExpression: 'pendingShard = :shard',
            ExpressionAttributeValues: { ':shard': shard },
            Limit: limitPerShard,
          }),
        ),
      ),
    );
    return pages
      .flatMap((page) => (page.Items ?? []) as OutboxItem[])
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async markPublished(eventId: string, now: Date = new Date()): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: outboxKey(eventId) },
          UpdateExpression:
            'SET #status = :published, publishedAt = :now, expiresAt = :expires REMOVE pendingShard',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':published': 'PUBLISHED',
            ':now': now.toISOString(),
            ':expires': Math.floor(now.getTime() / 1000) + PUBLISHED_RETENTION_SECONDS,
          },
        }),
      );
    } catch (error) {
      // An entry that no longer exists was already published and expired; nothing to mark.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async recordFailure(eventId: string, message: string): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: outboxKey(eventId) },
          UpdateExpression: 'SET attempts = if_not_exists(attempts, :zero) + :one, lastError = :error',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':error': message.slice(0, 1000),
            ':pending': 'PENDING',
          },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async get(eventId: string): Promise<OutboxItem | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: outboxKey(eventId) }, ConsistentRead: true }),
    );
    return result.Item as OutboxItem | undefined;
  }
}
