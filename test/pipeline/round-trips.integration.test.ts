import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedAwsClients } from '../../lib/aws/clients.ts';
import { loadServiceHandlers } from '../../runtime/handlers.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { countDynamoDbCalls, type Installed, invocationScopes } from './fault-injection.ts';
import { globexTransactions } from './probes.ts';
import { configureTestEnvironment, landAndSettle, registry, startTestPipeline } from './support.ts';

describe('DynamoDB round trips of schema-validate', () => {
  const scopes = invocationScopes();
  let runtime: Runtime;
  let calls: Installed & { byCommand(scope?: string): Record<string, number> };

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline({
      handlers: async (topology, stage) => {
        const loaded = await loadServiceHandlers(topology, stage);
        // schema-validate takes one record per invocation (batch size 1): scope its calls by that file.
        const scopeOf = (event: { Records: { body: string }[] }) =>
          (JSON.parse(event.Records[0]?.body ?? '{}') as { detail?: { data?: { fileId?: string } } }).detail
            ?.data?.fileId ?? 'unknown';
        return { ...loaded, 'schema-validate': scopes.wrap(loaded['schema-validate']!, scopeOf) };
      },
    });
    calls = countDynamoDbCalls(sharedAwsClients().dynamodb, scopes.current);
  });

  afterAll(async () => {
    calls?.remove();
    await runtime?.stop();
  });

  it('makes the same few DynamoDB calls for a 50-row file as for a 20,000-row file', async () => {
    // Prepare
    const small = await globexTransactions({ rows: 50, businessDate: '2026-11-07' });
    const large = await globexTransactions({ rows: 20_000, businessDate: '2026-11-08' });

    // Act
    await landAndSettle(runtime, [small, large], 45_000);

    // Assess
    for (const file of [small, large]) {
      expect((await registry(runtime).get(file.fileId))?.counts).toEqual({
        rowsIn: file.rows,
        valid: file.rows,
        quarantined: 0,
      });
    }
    const smallCalls = calls.byCommand(small.fileId);
    const largeCalls = calls.byCommand(large.fileId);
    expect(largeCalls).toEqual(smallCalls);
    // Per file: the idempotency record (in progress, then completed) and the one stage + outbox transaction.
    expect(smallCalls).toEqual({ PutItemCommand: 1, TransactWriteItemsCommand: 1, UpdateItemCommand: 1 });
  });
});
