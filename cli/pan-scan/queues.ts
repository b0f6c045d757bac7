import { ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { scanBytes } from '../../lib/card-data/scan/content-scan.ts';
import { type ContentHit, cardFinding } from '../../lib/card-data/scan/findings.ts';
import type { ScanReport } from '../../lib/card-data/scan/scan-report.ts';
import { scanText } from '../../lib/card-data/scan/text-scan.ts';
import type { FauxqsHost } from '../../runtime/fauxqs-host.ts';

/**
 * Every message of every queue fauxqs holds (DLQs and service queues: ready, delayed and in flight), body and
 * message attributes, read through fauxqs' `inspectQueue` (on its worker thread): it copies the messages without
 * receiving them, so nothing is hidden, re-ordered, counted as a receive or lost. (Receiving and handing back with
 * visibility 0 would lose messages: fauxqs 2.4.1 drops a message whose visibility is set to 0 when a state folder
 * is used.) `expectedDlqs` are the topology's DLQ names: one that is not provisioned offline is noted.
 */
export async function scanQueues(
  sqs: SQSClient,
  fauxqs: Pick<FauxqsHost, 'inspectQueue'>,
  expectedDlqs: readonly string[],
  report: ScanReport,
): Promise<void> {
  const listed = await listQueueNames(sqs);
  for (const name of expectedDlqs)
    if (!listed.includes(name))
      report.notes.push(`queue ${name} (a DLQ of the topology) is not provisioned offline`);
  for (const name of listed) {
    const queue = await fauxqs.inspectQueue(name);
    if (!queue) continue;
    report.scanned.queues += 1;
    const messages = [
      ...queue.messages.ready,
      ...queue.messages.delayed,
      ...queue.messages.inflight.map((entry) => entry.message),
    ];
    for (const message of messages) {
      report.scanned.messages += 1;
      const found = (hits: readonly ContentHit[], part: string) => {
        for (const hit of hits)
          report.findings.push(
            cardFinding({
              store: 'queue',
              container: name,
              entry: message.messageId,
              where: `${part}, ${hit.where}`,
              excerpt: hit.excerpt,
            }),
          );
      };
      found(textHits(message.body), 'body');
      for (const [attribute, value] of Object.entries(message.messageAttributes)) {
        found(textHits(attribute), 'attribute name');
        if (value.StringValue !== undefined) found(textHits(value.StringValue), `attribute ${attribute}`);
        if (value.BinaryValue !== undefined)
          found(scanBytes(Buffer.from(value.BinaryValue, 'base64')).hits, `attribute ${attribute}`);
      }
    }
  }
}

function textHits(text: string): ContentHit[] {
  return scanText(text).map((hit) => ({
    where: `line ${hit.line}, column ${hit.column}`,
    excerpt: hit.excerpt,
  }));
}

async function listQueueNames(sqs: SQSClient): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: token }));
    names.push(...(page.QueueUrls ?? []).map((url) => url.slice(url.lastIndexOf('/') + 1)));
    token = page.NextToken;
  } while (token);
  return names;
}
