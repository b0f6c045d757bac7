import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { failedConditions } from '../../../lib/aws/transaction-cancellation.ts';
import type { FileRecord, LandingKeyRecord } from '../../../lib/file-registry/file-record.ts';
import { fileKey, landingKeyKey } from '../../../lib/file-registry/file-record.ts';
import { commitWithEvents, type TransactItem } from '../../../lib/outbox/transaction.ts';
import type {
  CommitLanding,
  CommitRejection,
  GetFile,
  GetLandingKey,
  GetUpload,
  RecordRedelivery,
} from '../ports.ts';

export interface LandingTables {
  files: string;
  outbox: string;
}

/** The file registry and outbox as file-landing uses them (DynamoDB, one transaction per decision). */
export function dynamoLandingRegistry(doc: DynamoDBDocumentClient, tables: LandingTables) {
  const getFile: GetFile = async (fileId) => {
    const result = await doc.send(
      new GetCommand({ TableName: tables.files, Key: fileKey(fileId), ConsistentRead: true }),
    );
    return result.Item as FileRecord | undefined;
  };

  const getLandingKey: GetLandingKey = async (landing) => {
    const result = await doc.send(
      new GetCommand({
        TableName: tables.files,
        Key: landingKeyKey(landing.bucket, landing.key),
        ConsistentRead: true,
      }),
    );
    return result.Item as LandingKeyRecord | undefined;
  };

  const commitLanding: CommitLanding = async ({
    file,
    landingKey,
    expectedPreviousFileId,
    event,
    upload,
  }) => {
    const state: TransactItem[] = [
      { Put: { TableName: tables.files, Item: file, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: tables.files,
          Item: landingKey,
          ...(expectedPreviousFileId === null
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'fileId = :previous',
                ExpressionAttributeValues: { ':previous': expectedPreviousFileId },
              }),
        },
      },
      // Last, so the failed-condition indexes above stay 0 and 1; a new file's upload cannot have been seen.
      { Put: { TableName: tables.files, Item: uploadItem(upload, file.fileId, file.landedAt) } },
    ];
    try {
      // The token is unique to this attempt: an SDK retry of a transaction that did commit succeeds instead of
      // failing on its own file record (which would be miscounted as a redelivery).
      await commitWithEvents(doc, {
        outboxTable: tables.outbox,
        state,
        events: [event],
        idempotencyToken: event.eventId,
      });
      return 'committed';
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.includes(0)) return 'file-exists';
      if (failed?.includes(1)) return 'landing-key-moved';
      throw error;
    }
  };

  const recordRedelivery: RecordRedelivery = async ({ fileId, landingKey, at, upload }) => {
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tables.files,
                Item: uploadItem(upload, fileId, at),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: tables.files,
                Key: fileKey(fileId),
                UpdateExpression:
                  'SET redeliveries = if_not_exists(redeliveries, :zero) + :one, lastRedeliveryAt = :at',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':at': at },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (failedConditions(error)?.includes(0)) return 'already-seen';
      throw error;
    }
    try {
      // Only a key seen for the first time points at known content; an existing pointer is left alone.
      await doc.send(
        new PutCommand({
          TableName: tables.files,
          Item: landingKey,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return 'counted';
  };

  const commitRejection: CommitRejection = async (event) => {
    try {
      await commitWithEvents(doc, {
        outboxTable: tables.outbox,
        state: [],
        events: [event],
        idempotencyToken: event.eventId,
      });
      return 'committed';
    } catch (error) {
      if (failedConditions(error)?.includes(0)) return 'duplicate';
      throw error;
    }
  };

  const getUpload: GetUpload = async (upload) => {
    const result = await doc.send(
      new GetCommand({
        TableName: tables.files,
        Key: { pk: `UPLOAD#${upload}`, sk: 'UPLOAD' },
        ConsistentRead: true,
      }),
    );
    return result.Item ? { fileId: String(result.Item.fileId) } : undefined;
  };

  return { getFile, getLandingKey, commitLanding, recordRedelivery, getUpload, commitRejection };
}

/**
 * One S3 upload (PUT) that was landed or counted as a re-delivery. Replays of the bus archive outlive the
 * idempotency records (archive: years; records: days), so this item, not Powertools, keeps a replayed upload from
 * being counted as the partner sending the file again.
 */
function uploadItem(upload: string, fileId: string, at: string) {
  return { pk: `UPLOAD#${upload}`, sk: 'UPLOAD', fileId, at };
}
