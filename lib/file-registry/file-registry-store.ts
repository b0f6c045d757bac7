import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type FileRecord, fileKey } from './file-record.ts';

/** Reads of the file registry shared by the watchdog, the CLI and tests. */
export class FileRegistryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(fileId: string): Promise<FileRecord | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: fileKey(fileId), ConsistentRead: true }),
    );
    return result.Item as FileRecord | undefined;
  }

  /** Files still open, oldest first, that opened before `before` (ISO instant). */
  async listOpen(before: string): Promise<FileRecord[]> {
    const items: FileRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'open-files',
          KeyConditionExpression: 'openShard = :open AND openSince < :before',
          ExpressionAttributeValues: { ':open': 'OPEN', ':before': before },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as FileRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Every registered file (reports and the CLI; a scan, so not for hot paths). */
  async listAll(): Promise<FileRecord[]> {
    const items: FileRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'sk = :file',
          ExpressionAttributeValues: { ':file': 'FILE' },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      items.push(...((page.Items ?? []) as FileRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * Count a re-drive by the watchdog (reported, and alarmed past a limit). Returns null when the file
   * closed between the re-drive and this count: nothing to count, and no reason to stop the sweep.
   */
  async recordRedrive(fileId: string, at: string): Promise<number | null> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: fileKey(fileId),
          UpdateExpression: 'SET redrives = if_not_exists(redrives, :zero) + :one, lastRedriveAt = :at',
          ConditionExpression: 'attribute_exists(openShard)',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':at': at },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.redrives ?? 0);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }
}
