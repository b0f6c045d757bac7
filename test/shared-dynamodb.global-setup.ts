import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../runtime/dynamodb-local.ts';
import type { SharedDynamoDb } from '../runtime/emulators.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's one in-memory DynamoDB Local; absent when FINLEDGER_TEST_OWN_DYNAMODB=1. */
    sharedDynamoDb: SharedDynamoDb | undefined;
  }
}

/**
 * One DynamoDB Local JVM for the whole test run instead of one per file: its start is most of an emulator set's
 * start, several seconds of CPU on a two-core machine. Test stacks and pipelines without a state folder borrow it
 * with tables of their own (runtime/emulators.ts); FINLEDGER_TEST_OWN_DYNAMODB=1 gives every file its own again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.FINLEDGER_TEST_OWN_DYNAMODB === '1') {
    project.provide('sharedDynamoDb', undefined);
    return async () => {};
  }
  const dynamodb = await startDynamoDbLocal({ region: 'us-east-1' });
  project.provide('sharedDynamoDb', { endpoint: dynamodb.endpoint, pid: dynamodb.pid });
  return () => dynamodb.stop();
}
