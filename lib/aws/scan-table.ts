import {
  type AttributeValue,
  type DynamoDBClient,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';

/**
 * Every item of a table, as DynamoDB returns it (numbers stay text), following `LastEvaluatedKey` page by page
 * with consistent reads. The one paginated table scan: tests unmarshall on top of it, `pan-scan` reads it raw.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination
 * @example for await (const item of scanTable(dynamodb, 'finledger-local-files')) console.log(item.pk?.S);
 */
export async function* scanTable(
  dynamodb: DynamoDBClient,
  tableName: string,
  /** Optional server-side filter (FilterExpression and its names and values). */
  filter: Pick<
    ScanCommandInput,
    'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
  > = {},
): AsyncGenerator<Record<string, AttributeValue>> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ...filter, ExclusiveStartKey: startKey }),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
