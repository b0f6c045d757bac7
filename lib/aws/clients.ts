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

/** What identifies an environment: its endpoints and linked resources (changes when the runtime restarts). */
function environmentKey(env: NodeJS.ProcessEnv = process.env): string {
  return Object.keys(env)
    .filter(
      (name) =>
        name.startsWith('FINLEDGER_ENDPOINT_') || name.startsWith('SST_RESOURCE_') || name === 'AWS_REGION',
    )
    .sort()
    .map((name) => `${name}=${env[name]}`)
    .join('\n');
}

/**
 * Cache a value per environment: built once per cold start in AWS, rebuilt offline when the runtime
 * restarts on new ports in the same process.
 * @example const ports = perEnvironment(() => buildPorts()); ports()
 */
export function perEnvironment<T>(build: () => T): () => T {
  let cached: { key: string; value: T } | undefined;
  return () => {
    const key = environmentKey();
    if (!cached || cached.key !== key) cached = { key, value: build() };
    return cached.value;
  };
}

/** Process-wide clients, created lazily so importing a handler never reads configuration. */
export const sharedAwsClients: () => AwsClients = perEnvironment(() => createAwsClients());
