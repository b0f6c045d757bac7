/**
 * SDK client settings. In AWS nothing is overridden; offline, the runtime sets one endpoint per
 * service (DynamoDB Local, fauxqs, the local bus) and static test credentials.
 */
export interface ClientConfig {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
  requestChecksumCalculation?: 'WHEN_REQUIRED';
  responseChecksumValidation?: 'WHEN_REQUIRED';
}

export type AwsService = 'dynamodb' | 's3' | 'sqs' | 'eventbridge' | 'ssm';

const ENDPOINT_VARIABLES: Record<AwsService, string> = {
  dynamodb: 'FINLEDGER_ENDPOINT_DYNAMODB',
  s3: 'FINLEDGER_ENDPOINT_S3',
  sqs: 'FINLEDGER_ENDPOINT_SQS',
  eventbridge: 'FINLEDGER_ENDPOINT_EVENTBRIDGE',
  ssm: 'FINLEDGER_ENDPOINT_SSM',
};

/** The static credentials every client uses offline (the emulators accept anything; the runtime's signed URLs check these). */
export const OFFLINE_CREDENTIALS = { accessKeyId: 'offline', secretAccessKey: 'offline' } as const;

/** Client config for one AWS service, honouring the offline endpoint overrides. */
export function clientConfig(service: AwsService, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = env[ENDPOINT_VARIABLES[service]];
  if (!endpoint) return { region };
  // Offline S3 is fauxqs in this process: CRC32 on every body (computed on the handlers' thread) guards no network,
  // so it is sent only where an operation requires it (~4 ms of CPU per MiB saved). In AWS every request has one.
  const s3 = service === 's3';
  return {
    region,
    endpoint,
    forcePathStyle: s3 ? true : undefined,
    credentials: { ...OFFLINE_CREDENTIALS },
    ...(s3
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  };
}

export const endpointVariable = (service: AwsService): string => ENDPOINT_VARIABLES[service];
