import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Messages in one queue, by state. */
export interface QueueDepth {
  readonly url: string;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export interface IdleOptions {
  readonly sqs: SQSClient;
  /** Queues that must be empty (the service queues; DLQs hold parked messages and are left out). */
  readonly queueUrls: readonly string[];
  /** Work the queues cannot see: batches being handled, PutEvents delivering, worker iterations. */
  readonly busy: () => Record<string, number>;
  /** Run before each check, e.g. one iteration of each worker so pending outbox rows are published. */
  readonly beforeCheck?: () => Promise<void>;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/** Message counts of each queue (ApproximateNumberOfMessages, …NotVisible, …Delayed). */
export async function queueDepths(sqs: SQSClient, queueUrls: readonly string[]): Promise<QueueDepth[]> {
  return Promise.all(
    queueUrls.map(async (url) => {
      const { Attributes: attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      return {
        url,
        visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
      };
    }),
  );
}

/**
 * Resolve once every queue is empty and nothing is busy, twice in a row (a message can be between a
 * receive and the in-flight counter, or between a handler and the bus, for an instant).
 * Failed messages stay not-visible for the whole visibility timeout: use the runtime's
 * `retryDelaySeconds` or expect this to time out while they wait.
 */
export async function waitForIdle(options: IdleOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const interval = options.intervalMs ?? 50;
  let quietChecks = 0;
  let last: { depths: QueueDepth[]; busy: Record<string, number> } = { depths: [], busy: {} };
  while (Date.now() < deadline) {
    // Local work in progress settles it: no need to ask SQS, nor to run the workers, until it is done.
    const busyBefore = options.busy();
    if (isBusy(busyBefore)) {
      quietChecks = 0;
      last = { depths: last.depths, busy: busyBefore };
      await new Promise((resolve) => setTimeout(resolve, interval));
      continue;
    }
    await options.beforeCheck?.();
    const depths = await queueDepths(options.sqs, options.queueUrls);
    const busy = options.busy();
    last = { depths, busy };
    const quiet =
      depths.every((depth) => depth.visible + depth.inFlight + depth.delayed === 0) && !isBusy(busy);
    quietChecks = quiet ? quietChecks + 1 : 0;
    if (quietChecks >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  throw new Error(
    `The runtime did not become idle within ${options.timeoutMs ?? 30_000} ms. ${describe(last)}`,
  );
}

const isBusy = (busy: Record<string, number>): boolean => Object.values(busy).some((count) => count !== 0);

function describe({ depths, busy }: { depths: QueueDepth[]; busy: Record<string, number> }): string {
  const queues = depths
    .filter((depth) => depth.visible + depth.inFlight + depth.delayed > 0)
    .map(
      (depth) =>
        `${depth.url.split('/').pop()}: ${depth.visible} visible, ${depth.inFlight} in flight, ${depth.delayed} delayed`,
    );
  const work = Object.entries(busy)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${name}: ${count}`);
  const hint = depths.some((depth) => depth.inFlight > 0)
    ? ' Messages in flight after a failure wait out the visibility timeout; start the runtime with retryDelaySeconds to retry sooner.'
    : '';
  return `Still pending — queues [${queues.join('; ') || 'none'}], busy [${work.join('; ') || 'none'}].${hint}`;
}
