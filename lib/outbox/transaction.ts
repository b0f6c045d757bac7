import { createHash } from 'node:crypto';
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
