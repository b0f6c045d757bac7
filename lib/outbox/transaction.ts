import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type PublishableEvent, toOutboxItem } from './outbox-item.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB refuses more than 100 actions per transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;

/**
 * Commit state changes and the events that announce them in one `TransactWriteItems`, so an event
 * exists if and only if its state does. The relay publishes the events afterwards.
 *
 * `idempotencyToken` dedups SDK retries for 10 minutes only; redeliveries are handled by the callers'
 * conditions and Powertools idempotency.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export async function commitWithEvents(
  doc: DynamoDBDocumentClient,
  input: {
    outboxTable: string;
    state: TransactItem[];
    events: PublishableEvent[];
    idempotencyToken?: string;
    now?: Date;
  },
): Promise<void> {
  const eventItems: TransactItem[] = input.events.map((event) => ({
    Put: {
      TableName: input.outboxTable,
      Item: toOutboxItem(event, input.now),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  const transactItems = [...input.state, ...eventItems];
  if (transactItems.length > MAX_TRANSACTION_ACTIONS) {
    throw new Error(
      `A transaction may hold at most ${MAX_TRANSACTION_ACTIONS} actions; got ${transactItems.length}. Split the state change.`,
    );
  }
  await doc.send(
    new TransactWriteCommand({
      TransactItems: transactItems,
      // The token is limited to 36 characters; a hash keeps distinct work distinct.
      ClientRequestToken: input.idempotencyToken
        ? createHash('sha256').update(input.idempotencyToken).digest('hex').slice(0, 36)
        : undefined,
    }),
  );
}

/** `committed`, or `already-committed` when the record that marks this unit of work already existed. */
export type CommitOnceResult = 'committed' | 'already-committed';

/**
 * Put a record that marks a unit of work (conditional on its absence) and announce it with one event,
 * in one transaction. When the record already exists the earlier commit stands and no second event is
 * written. The transaction token is the event id: one per attempt, like its payload, because a reused
 * token with another payload is refused for 10 minutes and would hide the condition.
 * @example await commitOnce(doc, { outboxTable, table: filesTable, record: { pk, sk, ... }, event })
 */
export async function commitOnce(
  doc: DynamoDBDocumentClient,
  input: { outboxTable: string; table: string; record: { pk: string } & object; event: PublishableEvent },
): Promise<CommitOnceResult> {
  try {
    await commitWithEvents(doc, {
      outboxTable: input.outboxTable,
      state: [
        {
          Put: {
            TableName: input.table,
            Item: input.record,
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      events: [input.event],
      idempotencyToken: input.event.eventId,
    });
    return 'committed';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
    // Only the record's own condition failed: the same work was committed before.
    if (codes[0] === 'ConditionalCheckFailed' && codes.slice(1).every((code) => code === 'None')) {
      return 'already-committed';
    }
    throw error;
  }
}
