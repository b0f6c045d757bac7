import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientConfig } from './client-config.ts';

/** The SDK clients a service may need, built once per process (cold start) from `clientConfig`. */
export interface AwsClients {
  dynamodb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  sqs: SQSClient;
  eventbridge: EventBridgeClient;
}

/** Build clients for the current environment (AWS, or the offline endpoints the runtime sets). */
export function createAwsClients(env: NodeJS.ProcessEnv = process.env): AwsClients {
  const dynamodb = new DynamoDBClient(clientConfig('dynamodb', env));
  return {
    dynamodb,
    doc: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    s3: new S3Client(clientConfig('s3', env)),
    sqs: new SQSClient(clientConfig('sqs', env)),
    eventbridge: new EventBridgeClient(clientConfig('eventbridge', env)),
  };
}

let shared: AwsClients | undefined;

/** Process-wide clients, created lazily so importing a handler never reads configuration. */
export function sharedAwsClients(): AwsClients {
  shared ??= createAwsClients();
  return shared;
}
