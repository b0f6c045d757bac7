import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { scanTable } from '../lib/aws/scan-table.ts';
import type { RuntimeLogger } from './logger.ts';

/** Powertools' attribute names and in-progress status (`DynamoDBPersistenceLayer` defaults). */
const ID = 'id';
const STATUS = 'status';
const IN_PROGRESS = 'INPROGRESS';
const IN_PROGRESS_EXPIRY = 'in_progress_expiration';

export interface TakeoverReport {
  /** In-progress records a dead process left, now deleted so their work can run again. */
  readonly takenOver: number;
}

/**
 * Delete every Powertools idempotency record still IN_PROGRESS when a runtime starts on a state folder.
 *
 * The invariant (a crash never sends a healthy message to a DLQ): a message comes back only after the
 * in-progress record of the invocation that held it has stopped blocking it.
 * - AWS: the record's `in_progress_expiration` is the invocation's remaining time, at most the function
 *   timeout, and a message comes back after the queue's visibility timeout, 6× the function timeout
 *   (`topology.ts` `queueFor`, enforced by `stacks/plan/queues.ts`): the record has expired by then.
 * - Offline: a restarted runtime releases the dead process's messages at once (`releaseInflight`), long
 *   before their records expire (up to 900 s), so each retry would fail with
 *   `IdempotencyAlreadyInProgressError` until `maxReceiveCount` sent the message to its DLQ. The state
 *   folder lock (`state-lock.ts`) guarantees the process holding these records is dead, so they are deleted
 *   here, before any poller starts — as Powertools deletes a record whose handler failed. The work is then
 *   repeated, which every consumer must tolerate anyway (`ConsumerDefinition.process`).
 * Each delete is conditional on the record being the one scanned, so a record completed meanwhile stays.
 * @see https://docs.aws.amazon.com/powertools/typescript/latest/features/idempotency/#handling-concurrent-executions-with-the-same-payload
 */
export async function takeOverInProgress(options: {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
  readonly logger: RuntimeLogger;
}): Promise<TakeoverReport> {
  let takenOver = 0;
  for await (const item of inProgressRecords(options.dynamodb, options.tableName)) {
    const id = item[ID];
    if (!id) continue;
    try {
      await options.dynamodb.send(
        new DeleteItemCommand({
          TableName: options.tableName,
          Key: { [ID]: id },
          ConditionExpression: '#status = :inProgress AND #expiry = :expiry',
          ExpressionAttributeNames: { '#status': STATUS, '#expiry': IN_PROGRESS_EXPIRY },
          ExpressionAttributeValues: {
            ':inProgress': { S: IN_PROGRESS },
            ':expiry': item[IN_PROGRESS_EXPIRY] ?? { NULL: true },
          },
        }),
      );
      takenOver++;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) continue;
      throw error;
    }
  }
  if (takenOver > 0) {
    options.logger.info('took over idempotency records a stopped process left in progress', {
      table: options.tableName,
      takenOver,
    });
  }
  return { takenOver };
}

function inProgressRecords(dynamodb: DynamoDBClient, tableName: string) {
  return scanTable(dynamodb, tableName, {
    FilterExpression: '#status = :inProgress',
    ExpressionAttributeNames: { '#status': STATUS },
    ExpressionAttributeValues: { ':inProgress': { S: IN_PROGRESS } },
  });
}
