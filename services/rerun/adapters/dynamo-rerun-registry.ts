import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { failedConditions } from '../../../lib/aws/transaction-cancellation.ts';
import { FileRegistryStore } from '../../../lib/file-registry/file-registry-store.ts';
import {
  type RerunRecord,
  RUN_MEMBER_PREFIX,
  type RunMemberRecord,
  reopenFileItem,
  runKey,
  runMemberKey,
} from '../../../lib/file-registry/run-record.ts';
import { commitWithEvents } from '../../../lib/outbox/transaction.ts';
import type { ReopenResult, RerunPorts } from '../ports.ts';

/** Indexes of the reopen transaction's actions, for reading its cancellation reasons. */
const FILE_ACTION = 0;
const MEMBER_ACTION = 2;

/**
 * The file registry and outbox as a rerun uses them: run items in `files`, one `TransactWriteItems` per file.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export function dynamoRerunRegistry(
  doc: DynamoDBDocumentClient,
  tables: { files: string; outbox: string },
): Omit<RerunPorts, 'rawExists' | 'now' | 'newId'> {
  const registry = new FileRegistryStore(doc, tables.files);

  const getRun: RerunPorts['getRun'] = async (runId) => {
    const result = await doc.send(
      new GetCommand({ TableName: tables.files, Key: runKey(runId), ConsistentRead: true }),
    );
    return result.Item as RerunRecord | undefined;
  };

  const queryMembers = async (runId: string, count: boolean) => {
    const items: RunMemberRecord[] = [];
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tables.files,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
          ExpressionAttributeValues: { ':pk': runKey(runId).pk, ':member': RUN_MEMBER_PREFIX },
          ConsistentRead: true,
          ...(count ? { Select: 'COUNT' as const } : {}),
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as RunMemberRecord[]));
      total += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { items, total };
  };

  return {
    getRun,

    async createRun(run) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tables.files,
            Item: run,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'created';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'exists';
        throw error;
      }
    },

    async finishPass(runId, pass, at) {
      const { total } = await queryMembers(runId, true);
      const result = await doc.send(
        new UpdateCommand({
          TableName: tables.files,
          Key: runKey(runId),
          UpdateExpression:
            'SET fileCount = :count, passes = if_not_exists(passes, :zero) + :one, lastPassAt = :at, lastPass = :pass',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':count': total, ':zero': 0, ':one': 1, ':at': at, ':pass': pass },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes as RerunRecord;
    },

    listDay: (businessDate, filter) => registry.listDay(businessDate, filter),
    getFile: (fileId) => registry.get(fileId),

    async isMember(runId, fileId) {
      const result = await doc.send(
        new GetCommand({ TableName: tables.files, Key: runMemberKey(runId, fileId), ConsistentRead: true }),
      );
      return result.Item !== undefined;
    },

    members: async (runId) => (await queryMembers(runId, false)).items,

    async reopen({ file, history, member, event }): Promise<ReopenResult> {
      try {
        await commitWithEvents(doc, {
          outboxTable: tables.outbox,
          state: [
            reopenFileItem(tables.files, {
              fileId: file.fileId,
              previousRunId: file.runId,
              runId: member.runId,
              eventId: event.eventId,
              at: member.reopenedAt,
            }),
            {
              Put: {
                TableName: tables.files,
                Item: history,
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: { TableName: tables.files, Item: member, ConditionExpression: 'attribute_not_exists(pk)' },
            },
          ],
          events: [event],
          // One token per attempt (the event id is fresh per attempt): SDK retries reuse it, a later pass cannot
          // collide with it and be refused as a different payload.
          idempotencyToken: event.eventId,
        });
        return 'reopened';
      } catch (error) {
        const failed = failedConditions(error);
        if (!failed) throw error;
        if (failed.includes(MEMBER_ACTION)) return 'already-in-run';
        if (failed.includes(FILE_ACTION)) return 'file-changed';
        // Only the history of the previous run exists: that run was moved on before, so the file changed.
        return 'file-changed';
      }
    },
  };
}
