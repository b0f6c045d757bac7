import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FileRecord, LandingKeyRecord } from '../../../lib/file-registry/file-record.ts';
import { fileKey, landingKeyKey } from '../../../lib/file-registry/file-record.ts';
import { commitWithEvents, type TransactItem } from '../../../lib/outbox/transaction.ts';
import type { CommitLanding, CommitRejection, GetFile, GetLandingKey, RecordRedelivery } from '../ports.ts';
import { failedConditions } from './cancellation.ts';

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

  const commitLanding: CommitLanding = async ({ file, landingKey, expectedPreviousFileId, event }) => {
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

  const recordRedelivery: RecordRedelivery = async ({ fileId, landingKey, at }) => {
    await doc.send(
      new UpdateCommand({
        TableName: tables.files,
        Key: fileKey(fileId),
        UpdateExpression:
          'SET redeliveries = if_not_exists(redeliveries, :zero) + :one, lastRedeliveryAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':at': at },
      }),
    );
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

  return { getFile, getLandingKey, commitLanding, recordRedelivery, commitRejection };
}
