import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type AwsService, clientConfig, endpointVariable } from '../lib/aws/client-config.ts';

/** Endpoints of the offline services; `eventbridge` is the local bus once it runs. */
export type LocalEndpoints = Partial<Record<AwsService, string>>;

/** SDK clients pointed at the emulators. */
export interface LocalClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  destroy(): void;
}

/**
 * Client config for one emulated service, built through the same `clientConfig` the handlers use,
 * so the runtime and the handlers cannot disagree on region, credentials or path-style S3.
 */
export function localClientConfig(service: AwsService, endpoints: LocalEndpoints, region: string) {
  const endpoint = endpoints[service];
  if (!endpoint)
    throw new Error(
      `No local endpoint for ${service}. Start the emulators (and the bus) before building clients.`,
    );
  return clientConfig(service, { AWS_REGION: region, [endpointVariable(service)]: endpoint });
}

/** DynamoDB, SQS and S3 clients for the emulators. Call `destroy()` when done to free sockets. */
export function localClients(endpoints: LocalEndpoints, region: string): LocalClients {
  const dynamodb = new DynamoDBClient(localClientConfig('dynamodb', endpoints, region));
  const sqs = new SQSClient(localClientConfig('sqs', endpoints, region));
  const s3 = new S3Client(localClientConfig('s3', endpoints, region));
  return {
    dynamodb,
    sqs,
    s3,
    destroy() {
      dynamodb.destroy();
      sqs.destroy();
      s3.destroy();
    },
  };
}

/** An EventBridge client for the local bus. */
export function localEventBridgeClient(endpoint: string, region: string): EventBridgeClient {
  return new EventBridgeClient(localClientConfig('eventbridge', { eventbridge: endpoint }, region));
}
