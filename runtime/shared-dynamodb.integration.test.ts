import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { sharedDynamoDb, startTestStack } from './testing/helpers.ts';

describe('test stacks on the run’s shared DynamoDB Local', () => {
  // Skipped only when FINLEDGER_TEST_OWN_DYNAMODB=1 gives every file its own JVM.
  const shared = sharedDynamoDb();

  it.skipIf(!shared)(
    'keep their tables apart under prefixes of their own, and drop only their own on stop',
    async () => {
      // Prepare
      if (!shared) return;
      const first = await startTestStack();
      const second = await startTestStack();
      const tables = async () =>
        (await second.clients.dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
      try {
        // Assess: one JVM, two disjoint sets of the topology's tables
        expect(first.emulators.endpoints.dynamodb).toBe(shared.endpoint);
        expect(second.emulators.dynamodbPid).toBe(shared.pid);
        expect(first.emulators.tablePrefix).not.toBe(second.emulators.tablePrefix);
        const names = (stack: typeof first) =>
          Object.values(stack.resources.tables).map((table) => table.name);
        expect(names(first).every((name) => name.startsWith(first.emulators.tablePrefix))).toBe(true);
        expect(names(first).some((name) => names(second).includes(name))).toBe(false);

        // Act
        await first.stop();

        // Assess
        const left = await tables();
        expect(left.filter((name) => name.startsWith(first.emulators.tablePrefix))).toEqual([]);
        expect(names(second).every((name) => left.includes(name))).toBe(true);
      } finally {
        await first.stop();
        await second.stop();
      }
    },
  );
});
