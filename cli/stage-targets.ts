import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig } from '../lib/aws/client-config.ts';
import {
  archiveArnOf,
  busArnOf,
  parseStageDocument,
  queueArnOf,
  ruleArnOf,
  type StageDocument,
  stageDocumentParameter,
} from '../lib/stage-resources/stage-document.ts';
import { names } from '../stacks/plan/names.ts';
import { hasFailureQueue } from '../stacks/plan/queues.ts';
import { subscriptionPattern } from '../topology/event-patterns.ts';
import { topology } from '../topology/topology.ts';
import type { Topology } from '../topology/types.ts';
import type { DeadLetterQueue, DlqTarget } from './commands/dlq.ts';
import type { ReplayRule, ReplayTarget } from './commands/replay.ts';

/** The SDK clients an operator command uses: the usual AWS chain, or `FINLEDGER_ENDPOINT_*` offline. */
export interface OperatorClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  destroy(): void;
}

export function operatorClients(env: NodeJS.ProcessEnv = process.env): OperatorClients {
  const dynamodb = new DynamoDBClient(clientConfig('dynamodb', env));
  const sqs = new SQSClient(clientConfig('sqs', env));
  const eventBridge = new EventBridgeClient(clientConfig('eventbridge', env));
  const s3 = new S3Client(clientConfig('s3', env));
  const ssm = new SSMClient(clientConfig('ssm', env));
  return {
    dynamodb,
    sqs,
    eventBridge,
    s3,
    ssm,
    destroy() {
      for (const client of [dynamodb, sqs, eventBridge, s3, ssm]) client.destroy();
    },
  };
}

/** A stage's resources, from the SSM parameter its deploy wrote (offline: the one the runtime serves). */
export async function loadStageDocument(ssm: SSMClient, app: string, stage: string): Promise<StageDocument> {
  const name = stageDocumentParameter(app, stage);
  const region = await ssm.config.region();
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
    return parseStageDocument(Parameter?.Value ?? '', `SSM parameter ${name} (${region})`);
  } catch (error) {
    if ((error as Error).name !== 'ParameterNotFound') throw error;
    throw new Error(
      `No finledger stage "${stage}" in ${region}: SSM parameter ${name} does not exist. Check --stage and the AWS region and profile (AWS_REGION, AWS_PROFILE), or deploy the stage: sst deploy --stage ${stage}.`,
    );
  }
}

/** A stage queue's URL by its physical name (GetQueueUrl, as in AWS). */
async function queueUrlOf(document: StageDocument, sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`Queue ${name} of stage ${document.stage} has no URL: redeploy the stage.`);
  return QueueUrl;
}

/** Per service, the URLs of its queue, the queue's DLQ and the rule target's DLQ (GetQueueUrl, as in AWS). */
export async function stageQueueUrls(
  document: StageDocument,
  sqs: SQSClient,
): Promise<Record<string, { queue: string; dlq: string; busDlq: string }>> {
  const urlOf = (name: string) => queueUrlOf(document, sqs, name);
  const urls: Record<string, { queue: string; dlq: string; busDlq: string }> = {};
  for (const [service, queues] of Object.entries(document.services))
    urls[service] = {
      queue: await urlOf(queues.queue),
      dlq: await urlOf(queues.dlq),
      busDlq: await urlOf(queues.busDlq),
    };
  return urls;
}

/** Per unit worker, the URLs of its queue and of the DLQ that queue redrives to. */
export async function stageUnitQueueUrls(
  document: StageDocument,
  sqs: SQSClient,
): Promise<Record<string, { queue: string; dlq: string }>> {
  const urls: Record<string, { queue: string; dlq: string }> = {};
  for (const [worker, queues] of Object.entries(document.unitQueues))
    urls[worker] = {
      queue: await queueUrlOf(document, sqs, queues.queue),
      dlq: await queueUrlOf(document, sqs, queues.dlq),
    };
  return urls;
}

/** Every service's queue DLQ and rule DLQ of a stage, and every unit worker's queue DLQ, with the queue each goes back to. */
export async function stageDlqTarget(
  document: StageDocument,
  sqs: SQSClient,
  s3?: S3Client,
): Promise<DlqTarget> {
  const urls = await stageQueueUrls(document, sqs);
  const queues: DeadLetterQueue[] = Object.entries(document.services).flatMap(([service, names_]) => {
    const url = urls[service];
    if (!url) return [];
    return [
      {
        service,
        kind: 'queue' as const,
        name: names_.dlq,
        url: url.dlq,
        arn: queueArnOf(document, names_.dlq),
        targetUrl: url.queue,
      },
      {
        service,
        kind: 'rule' as const,
        name: names_.busDlq,
        url: url.busDlq,
        arn: queueArnOf(document, names_.busDlq),
        targetUrl: url.queue,
      },
    ];
  });
  // A unit worker's DLQ is the redrive DLQ of its own queue: a `queue` DLQ, redriven back to that queue.
  const unitUrls = await stageUnitQueueUrls(document, sqs);
  for (const [worker, names_] of Object.entries(document.unitQueues)) {
    const url = unitUrls[worker];
    if (url)
      queues.push({
        service: worker,
        kind: 'queue',
        name: names_.dlq,
        url: url.dlq,
        arn: queueArnOf(document, names_.dlq),
        targetUrl: url.queue,
      });
  }
  for (const [worker, name] of Object.entries(document.workerDlqs)) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (QueueUrl)
      queues.push({ service: worker, kind: 'worker', name, url: QueueUrl, arn: queueArnOf(document, name) });
  }
  for (const [zone, name] of Object.entries(document.eventLogDlqs)) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (QueueUrl)
      queues.push({
        service: zone === 'main' ? 'event-log' : `${zone}-event-log`,
        kind: 'event-log',
        name,
        url: QueueUrl,
        arn: queueArnOf(document, name),
      });
  }
  const withFailureQueues = topology.workers.filter(hasFailureQueue);
  const eventLogBucket = document.buckets['event-log'];
  return {
    sqs,
    queues,
    ...(s3 && eventLogBucket ? { eventLog: { s3, bucket: eventLogBucket } } : {}),
    notCovered: withFailureQueues
      .filter((worker) => document.workerDlqs[worker.name] === undefined)
      .map(
        (worker) => `${worker.name} (no failure queue on this stage: offline a worker's failure is logged)`,
      )
      .concat(
        Object.keys(document.eventLogDlqs).length === 0
          ? [
              'event-log (no Firehose target on this stage: offline the local bus writes the event log itself)',
            ]
          : [],
      ),
  };
}

/**
 * A stage's replay target: its archive and bus, and one rule per topology subscription with the stage's rule
 * names. Rules on the account's default bus (S3 notifications) replay from the notification archive.
 */
export function stageReplayTarget(
  document: StageDocument,
  topology: Topology,
  eventBridge: EventBridgeClient,
  archivedEvents: ReplayTarget['archivedEvents'],
): ReplayTarget {
  const rules: ReplayRule[] = topology.services.flatMap((service) =>
    service.subscriptions.map((subscription) => {
      const component = names.rule(service.name, subscription);
      const rule = document.rules[component];
      if (!rule)
        throw new Error(
          `Stage ${document.stage} has no rule ${component} (${service.name}): it runs another finledger version; deploy this one or use its CLI.`,
        );
      const onDefaultBus = rule.bus === 'default';
      if (onDefaultBus && !document.archives.notifications)
        throw new Error(`Stage ${document.stage} has a rule on the default bus but no notification archive.`);
      return {
        name: rule.name,
        arn: ruleArnOf(document, rule),
        service: service.name,
        subscription,
        eventPattern: subscriptionPattern(subscription, (bucket) => document.buckets[bucket] ?? bucket),
        ...(onDefaultBus
          ? {
              sharedBus: {
                busArn: busArnOf(document, 'default'),
                archiveArn: archiveArnOf(document, document.archives.notifications ?? ''),
              },
            }
          : {}),
      };
    }),
  );
  return {
    eventBridge,
    busArn: busArnOf(document, 'finledger'),
    archiveArn: archiveArnOf(document, document.archives.bus),
    rules,
    archivedEvents,
  };
}
