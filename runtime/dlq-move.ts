import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** Attributes EventBridge adds to a message it parks in a rule-target DLQ: about the failure, not the event. */
const DLQ_MARKERS = new Set(['RULE_ARN', 'TARGET_ARN', 'ERROR_CODE', 'ERROR_MESSAGE']);

export interface MoveMessagesOptions {
  readonly fromUrl: string;
  /** Hands one message's copy to its target; resolves once the target accepted it (`sendToQueue`, or another). */
  readonly deliver: (message: Message) => Promise<void>;
  /** Which messages move; the others stay in the DLQ. Omitted: every message. */
  readonly select?: (message: Message) => boolean;
  /** Most messages moved (or, on a dry run, counted). */
  readonly max?: number;
  /** Rate limit, messages per second. */
  readonly perSecond?: number;
  /**
   * Seconds a message seen by this scan stays hidden, so the scan sees each message once. A scan killed midway
   * leaves the messages it held hidden for at most this long, then they are back in the DLQ.
   */
  readonly holdSeconds?: number;
  /** Count what would move, move nothing. */
  readonly dryRun?: boolean;
  /** Checked before each move: true stops the scan (a cancelled move task). */
  readonly stopRequested?: () => boolean;
  /** After each move (or each selected message on a dry run). */
  readonly onMoved?: (message: Message, moved: number) => void;
}

export interface MoveMessagesResult {
  /** Messages sent to the target and deleted from the DLQ (a dry run: that would be). */
  readonly moved: number;
  /** Messages sent whose delete failed (receipt expired): a copy stays in the DLQ, absorbed on the next redrive. */
  readonly copiesLeft: number;
  /** Messages seen and left in the DLQ: not selected, or past `max`. */
  readonly left: number;
  /**
   * False when the scan outlasted its hold and met a message again before the DLQ ran dry: some messages may not
   * have been looked at; running the same redrive again goes on with them.
   */
  readonly complete: boolean;
}

/**
 * Move messages from a DLQ to their target (a queue, or the event log), kill-safe: each message is deleted from the DLQ only after its copy was
 * accepted by the target, so an interrupted move leaves every message in the DLQ, delivered, or (killed between
 * the send and the delete) both — a duplicate the idempotent consumers absorb. What this scan held and did not move
 * is made visible again at the end. Markers EventBridge added to a rule-target DLQ message are not copied: the
 * target receives the event as the rule would have delivered it.
 * Used by the CLI for selections and rule-target DLQs (StartMessageMoveTask cannot filter, nor move a DLQ that no
 * queue's redrive policy names) and by the offline SQS front to carry out StartMessageMoveTask itself.
 */
export async function moveMessages(
  sqs: SQSClient,
  options: MoveMessagesOptions,
): Promise<MoveMessagesResult> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const holdSeconds = options.holdSeconds ?? (await holdFor(sqs, options));
  // Rate-limited: receive no more than a second's worth, so no held message waits out its hold.
  const perReceive = Math.min(10, Math.max(1, Math.floor(options.perSecond ?? 10)));
  const started = Date.now();
  const seen = new Set<string>();
  const held: Message[] = [];
  let moved = 0;
  let copiesLeft = 0;
  let left = 0;
  let cycled = false;
  try {
    for (;;) {
      if (moved >= max || options.stopRequested?.()) break;
      const { Messages: batch = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.fromUrl,
          MaxNumberOfMessages: perReceive,
          VisibilityTimeout: holdSeconds,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (batch.length === 0) break;
      for (const message of batch) {
        const id = message.MessageId ?? '';
        held.push(message);
        // Seen before: the scan outlasted the hold and the DLQ came round again; everything has been looked at.
        if (seen.has(id)) {
          cycled = true;
          continue;
        }
        seen.add(id);
        if (moved >= max || options.stopRequested?.() || !(options.select?.(message) ?? true)) {
          left += 1;
          continue;
        }
        if (options.dryRun) {
          moved += 1;
          options.onMoved?.(message, moved);
          continue;
        }
        if (options.perSecond) {
          const due = started + (moved / options.perSecond) * 1000;
          if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        }
        await options.deliver(message);
        held.pop();
        moved += 1;
        try {
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: options.fromUrl, ReceiptHandle: message.ReceiptHandle }),
          );
        } catch {
          copiesLeft += 1;
        }
        options.onMoved?.(message, moved);
      }
      if (cycled) break;
    }
  } finally {
    await releaseHeld(sqs, options.fromUrl, held);
  }
  return { moved, copiesLeft, left, complete: !cycled };
}

/**
 * Deliver to a queue: the body, and the message attributes the event had (not the markers EventBridge added).
 * @example moveMessages(sqs, { fromUrl: dlq.url, deliver: sendToQueue(sqs, queue.url) })
 */
export const sendToQueue =
  (sqs: SQSClient, url: string) =>
  async (message: Message): Promise<void> => {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: message.Body ?? '', ...eventAttributes(message) }),
    );
  };

/**
 * A hold long enough for the whole scan: the DLQ's depth at the rate (SQS moves about 50 a second unthrottled),
 * plus a minute, at most SQS's 12-hour visibility limit.
 */
async function holdFor(sqs: SQSClient, options: MoveMessagesOptions): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: options.fromUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  const depth = Number(Attributes.ApproximateNumberOfMessages ?? 0);
  return Math.min(43_200, 60 + Math.ceil(depth / (options.perSecond ?? 50)));
}

function eventAttributes(message: Message): { MessageAttributes?: Record<string, MessageAttributeValue> } {
  const kept = Object.entries(message.MessageAttributes ?? {}).filter(([name]) => !DLQ_MARKERS.has(name));
  return kept.length > 0 ? { MessageAttributes: Object.fromEntries(kept) } : {};
}

/** Make what the scan held visible again. Best effort: a message not released reappears after the hold anyway. */
export async function releaseHeld(sqs: SQSClient, url: string, held: readonly Message[]): Promise<void> {
  for (let start = 0; start < held.length; start += 10) {
    const chunk = held.slice(start, start + 10);
    await sqs
      .send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: chunk.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      )
      .catch(() => {});
  }
}
