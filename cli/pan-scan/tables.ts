import {
  type AttributeValue,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { scanTable } from '../../lib/aws/scan-table.ts';
import { maskCardNumbers } from '../../lib/card-data/card-numbers.ts';
import { cardFinding } from '../../lib/card-data/scan/findings.ts';
import { scanItem } from '../../lib/card-data/scan/item-scan.ts';
import type { ScanReport } from '../../lib/card-data/scan/scan-report.ts';

/**
 * Every table DynamoDB Local holds, every item, every attribute (`scanItem`). Each finding names the item by its
 * key attributes (from DescribeTable), masked, so it can be found and purged.
 */
export async function scanTables(dynamodb: DynamoDBClient, report: ScanReport): Promise<void> {
  for (const table of await listTables(dynamodb)) {
    report.scanned.tables += 1;
    try {
      const description = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
      const keyNames = (description.Table?.KeySchema ?? []).flatMap((key) => key.AttributeName ?? []);
      for await (const item of scanTable(dynamodb, table)) {
        report.scanned.items += 1;
        for (const hit of scanItem(item))
          report.findings.push(
            cardFinding({ store: 'item', container: table, entry: itemKey(item, keyNames), ...hit }),
          );
      }
    } catch (error) {
      report.errors.push(maskCardNumbers(`table ${table}: ${String(error)}`));
    }
  }
}

async function listTables(dynamodb: DynamoDBClient): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

/** `pk=FILE#…, sk=…`: the key attribute names and values (`cardFinding` masks them). */
function itemKey(item: Record<string, AttributeValue>, keyNames: readonly string[]): string {
  return keyNames
    .map((name) => {
      const value = item[name];
      const text = value?.S ?? value?.N ?? (value?.B ? Buffer.from(value.B).toString('base64') : '?');
      return `${name}=${text}`;
    })
    .join(', ');
}
