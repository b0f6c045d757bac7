import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { listen } from './bus-http.ts';
import { moveMessages, sendToQueue } from './dlq-move.ts';
import { describeError, type RuntimeLogger } from './logger.ts';
import type { ProvisionedQueue, ProvisionedResources } from './provision.ts';

/** One message move task as ListMessageMoveTasks reports it (timestamps in epoch milliseconds, as SQS does). */
interface MoveTask {
  readonly TaskHandle: string;
  Status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  readonly SourceArn: string;
  readonly DestinationArn?: string;
  readonly MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  readonly ApproximateNumberOfMessagesToMove: number;
  FailureReason?: string;
  readonly StartedTimestamp: number;
}

class SqsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The running front: the SQS endpoint that also speaks the message-move API. */
export interface SqsMessageMoves {
  readonly endpoint: string;
  /** Tasks still moving (for idle detection and a clean stop). */
  running(): number;
  stop(): Promise<void>;
}

/**
 * An SQS endpoint in front of fauxqs that adds what fauxqs lacks for DLQ redrive: StartMessageMoveTask,
 * ListMessageMoveTasks and CancelMessageMoveTask (JSON protocol, as the SDK speaks it). Everything else is passed
 * through unchanged, so the CLI's redrive is the AWS code path offline too.
 * A task moves from a DLQ to the queue whose redrive policy names it (or `DestinationArn`): receive, send, and only
 * then delete, so a kill mid-move leaves each message in the DLQ or delivered (a copy in both is absorbed by the
 * idempotent consumers), as in AWS.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
export async function startSqsMessageMoves(options: {
  readonly upstream: string;
  /** Client on fauxqs itself. */
  readonly sqs: SQSClient;
  readonly resources: ProvisionedResources;
  readonly logger: RuntimeLogger;
}): Promise<SqsMessageMoves> {
  const { sqs, resources, logger } = options;
  const queues = [
    ...Object.values(resources.services).flatMap((service) => [service.queue, service.dlq, service.busDlq]),
    ...Object.values(resources.units).flatMap((unit) => [unit.queue, unit.dlq]),
  ];
  const byArn = (arn: unknown): ProvisionedQueue | undefined => queues.find((queue) => queue.arn === arn);
  /** AWS: without DestinationArn, messages go back to the queue whose redrive policy targets the DLQ. */
  const sourceOf = (dlq: ProvisionedQueue) =>
    [...Object.values(resources.services), ...Object.values(resources.units)].find(
      (redriven) => redriven.dlq.arn === dlq.arn,
    )?.queue;
  const tasks: MoveTask[] = [];
  const running = new Set<Promise<void>>();

  const move = async (task: MoveTask, from: ProvisionedQueue, to: ProvisionedQueue) => {
    try {
      await moveMessages(sqs, {
        fromUrl: from.url,
        deliver: sendToQueue(sqs, to.url),
        max: task.ApproximateNumberOfMessagesToMove,
        perSecond: task.MaxNumberOfMessagesPerSecond ?? 500,
        stopRequested: () => task.Status !== 'RUNNING',
        onMoved: (_message, moved) => {
          task.ApproximateNumberOfMessagesMoved = moved;
        },
      });
      task.Status = task.Status === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
    } catch (error) {
      task.Status = 'FAILED';
      task.FailureReason = (error as Error).message;
      logger.error(
        'message move task failed; what moved stays moved, the rest waits in the DLQ',
        describeError(error),
      );
    }
  };

  const operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    async StartMessageMoveTask(input) {
      const from = byArn(input.SourceArn);
      if (!from || !sourceOf(from))
        throw new SqsApiError(
          'ResourceNotFoundException',
          `${String(input.SourceArn)} is not a dead-letter queue here.`,
        );
      const to = input.DestinationArn === undefined ? sourceOf(from) : byArn(input.DestinationArn);
      if (!to)
        throw new SqsApiError('ResourceNotFoundException', `No queue ${String(input.DestinationArn)}.`);
      if (tasks.some((task) => task.SourceArn === from.arn && task.Status === 'RUNNING'))
        throw new SqsApiError(
          'UnsupportedOperation',
          `A message move task is already running on ${from.name}.`,
        );
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: from.url,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      const task: MoveTask = {
        TaskHandle: Buffer.from(JSON.stringify({ id: randomUUID(), source: from.arn })).toString('base64'),
        Status: 'RUNNING',
        SourceArn: from.arn,
        ...(input.DestinationArn === undefined ? {} : { DestinationArn: to.arn }),
        ...(typeof input.MaxNumberOfMessagesPerSecond === 'number'
          ? { MaxNumberOfMessagesPerSecond: input.MaxNumberOfMessagesPerSecond }
          : {}),
        ApproximateNumberOfMessagesMoved: 0,
        ApproximateNumberOfMessagesToMove: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        StartedTimestamp: Date.now(),
      };
      tasks.push(task);
      const job = move(task, from, to).finally(() => running.delete(job));
      running.add(job);
      return { TaskHandle: task.TaskHandle };
    },
    async ListMessageMoveTasks(input) {
      const max = typeof input.MaxResults === 'number' ? input.MaxResults : 1;
      // Most recent first; only a running task carries its TaskHandle, as in SQS.
      const results = tasks
        .filter((task) => task.SourceArn === input.SourceArn)
        .reverse()
        .slice(0, max)
        .map(({ TaskHandle, ...task }) => (task.Status === 'RUNNING' ? { TaskHandle, ...task } : task));
      return { Results: results };
    },
    async CancelMessageMoveTask(input) {
      const task = tasks.find((candidate) => candidate.TaskHandle === input.TaskHandle);
      if (!task || task.Status !== 'RUNNING')
        throw new SqsApiError('ResourceNotFoundException', 'No running message move task with that handle.');
      task.Status = 'CANCELLING';
      return { ApproximateNumberOfMessagesMoved: task.ApproximateNumberOfMessagesMoved };
    },
  };

  const server = createServer((request, response) => {
    void serve(request, response, options.upstream, operations).catch((error) => {
      logger.error('SQS front request failed', describeError(error));
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const port = await listen(server, 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    running: () => running.size,
    async stop() {
      for (const task of tasks) if (task.Status === 'RUNNING') task.Status = 'CANCELLING';
      await Promise.all([...running]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  upstream: string,
  operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const action = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
  const operation = operations[action];
  if (operation) {
    try {
      const output = await operation(JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(output));
    } catch (error) {
      if (!(error instanceof SqsApiError)) throw error;
      response
        .writeHead(400, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-query-error': `${error.type};Sender`,
        })
        .end(JSON.stringify({ __type: `com.amazonaws.sqs#${error.type}`, message: error.message }));
    }
    return;
  }
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(
      ([name, value]) => name !== 'host' && name !== 'connection' && value !== undefined,
    ),
  ) as Record<string, string>;
  const forwarded = await fetch(new URL(request.url ?? '/', upstream), {
    method: request.method ?? 'POST',
    headers,
    ...(body.length > 0 ? { body } : {}),
  });
  const answer = Buffer.from(await forwarded.arrayBuffer());
  const answerHeaders: Record<string, string> = {};
  forwarded.headers.forEach((value, name) => {
    // fetch has decoded the body already and the response frames it anew.
    if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))
      answerHeaders[name] = value;
  });
  response.writeHead(forwarded.status, answerHeaders).end(answer);
}
