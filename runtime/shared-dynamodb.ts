import { DeleteTableCommand, DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from './clients.ts';

/**
 * Drop every table whose name starts with `prefix`: what a runtime borrowing a shared DynamoDB Local created, so
 * the JVM other runtimes still use does not keep one runtime's data after it stopped.
 * @example await dropTablesNamed('http://127.0.0.1:8000', 'us-east-1', 't4242-1a2b3c4d-')
 */
export async function dropTablesNamed(endpoint: string, region: string, prefix: string): Promise<void> {
  if (prefix === '')
    throw new Error('Refusing to drop every table of a shared DynamoDB Local: give a prefix.');
  const dynamodb = new DynamoDBClient(localClientConfig('dynamodb', { dynamodb: endpoint }, region));
  try {
    const names: string[] = [];
    for await (const page of paginateListTables({ client: dynamodb }, {}))
      names.push(...(page.TableNames ?? []).filter((name) => name.startsWith(prefix)));
    await Promise.all(names.map((TableName) => dynamodb.send(new DeleteTableCommand({ TableName }))));
  } finally {
    dynamodb.destroy();
  }
}
