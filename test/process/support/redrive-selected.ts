/**
 * Child process for the redrive kill test: `dlq redrive <service> --kind rule --type <type> --rate <n>` through the
 * CLI's own `redriveDlqs`, on the SQS of a runtime the test owns, printing a progress line per message moved. The
 * test SIGKILLs this process after a few moves.
 *
 * Usage: node --import tsx test/process/support/redrive-selected.ts <request JSON>
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { type DeadLetterQueue, redriveDlqs } from '../../../cli/commands/dlq.ts';
import { localClientConfig } from '../../../runtime/clients.ts';

/** What the test asks this child to redrive. */
export interface RedriveRequest {
  readonly sqsEndpoint: string;
  readonly region: string;
  readonly queue: DeadLetterQueue;
  readonly type: string;
  readonly perSecond: number;
  readonly holdSeconds: number;
}

/** Printed before each progress line, so the test can count moves. */
export const MOVED_MARKER = 'moved: ';

/** Never outlive a test that died without killing us. */
const SELF_DESTRUCT_MS = 120_000;

async function main(request: RedriveRequest): Promise<number> {
  setTimeout(() => process.exit(3), SELF_DESTRUCT_MS).unref();
  const sqs = new SQSClient(localClientConfig('sqs', { sqs: request.sqsEndpoint }, request.region));
  return redriveDlqs(
    { sqs, queues: [request.queue], notCovered: [] },
    {
      json: true,
      selection: { type: request.type },
      rate: request.perSecond,
      holdSeconds: request.holdSeconds,
      progress: (line) => process.stdout.write(`${MOVED_MARKER}${line}\n`),
    },
  );
}

if (process.argv[2]) {
  main(JSON.parse(process.argv[2]) as RedriveRequest).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
