import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { StageConflictError } from '../errors.ts';
import { dynamoStageCommitter, type StageCommit } from './dynamo-stage-committer.ts';

const commit: StageCommit = {
  fileId: 'f_1',
  runId: 'run_1',
  stage: 'VALIDATED',
  counts: { rowsIn: 1, valid: 1, quarantined: 0 },
  event: {
    eventId: 'e-1',
    type: 'FileValidated',
    version: 1,
    producer: 'schema-validate',
    occurredAt: '2024-03-01T00:00:00.000Z',
    correlationId: 'c',
  },
};

function cancelled(item: Record<string, { S: string }> | undefined, outboxCode = 'None') {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: item }, { Code: outboxCode }],
  });
}

/** A document client whose first send answers with `error` (or succeeds), recording the commands. */
function fakeDoc(error?: Error) {
  const sent: { input: unknown }[] = [];
  const doc = {
    send: async (command: { input: unknown }) => {
      sent.push(command);
      if (error) throw error;
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, sent };
}

describe('dynamoStageCommitter', () => {
  it('commits the stage and the outbox entry in one transaction', async () => {
    // Prepare
    const { doc, sent } = fakeDoc();

    // Act
    const result = await dynamoStageCommitter(doc, { files: 'files', outbox: 'outbox' })(commit);

    // Assess
    expect(result).toBe('committed');
    const input = sent[0]?.input as {
      TransactItems: { Update?: { TableName: string }; Put?: { TableName: string } }[];
    };
    expect(input.TransactItems.map((item) => item.Update?.TableName ?? item.Put?.TableName)).toEqual([
      'files',
      'outbox',
    ]);
  });

  it('records control totals in the same stage update, under the same condition', async () => {
    // Prepare
    const { doc, sent } = fakeDoc();
    const totals = {
      controlTotals: { declared: null, computed: { rowCount: 1, sums: { EUR: '100' } } },
      validTotals: { rowCount: 1, sums: { EUR: '100' } },
    };

    // Act
    await dynamoStageCommitter(doc, { files: 'files', outbox: 'outbox' })({ ...commit, totals });

    // Assess
    const input = sent[0]?.input as {
      TransactItems: {
        Update?: {
          UpdateExpression: string;
          ConditionExpression: string;
          ExpressionAttributeValues: Record<string, unknown>;
        };
      }[];
    };
    const update = input.TransactItems[0]?.Update;
    expect(update?.UpdateExpression).toContain('controlTotals = :controlTotals, validTotals = :validTotals');
    expect(update?.ConditionExpression).toBe('stage = :landed AND runId = :runId');
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':controlTotals': totals.controlTotals,
      ':validTotals': totals.validTotals,
    });
  });

  it('treats a file this run already closed as done', async () => {
    // Prepare
    const { doc } = fakeDoc(cancelled({ stage: { S: 'VALIDATED' }, runId: { S: 'run_1' } }));

    // Act / Assess
    await expect(dynamoStageCommitter(doc, { files: 'files', outbox: 'outbox' })(commit)).resolves.toBe(
      'already-terminal',
    );
  });

  it.each([
    ['another run owns the file', { stage: { S: 'LANDED' }, runId: { S: 'run_2' } }],
    ['another run closed the file', { stage: { S: 'REJECTED' }, runId: { S: 'run_2' } }],
  ])('throws a conflict when %s', async (_name, item) => {
    // Prepare
    const { doc } = fakeDoc(cancelled(item));

    // Act / Assess
    await expect(
      dynamoStageCommitter(doc, { files: 'files', outbox: 'outbox' })(commit),
    ).rejects.toBeInstanceOf(StageConflictError);
  });

  it('rethrows a cancellation for any other reason', async () => {
    // Prepare
    const error = cancelled({ stage: { S: 'VALIDATED' }, runId: { S: 'run_1' } }, 'TransactionConflict');
    const { doc } = fakeDoc(error);

    // Act / Assess
    await expect(dynamoStageCommitter(doc, { files: 'files', outbox: 'outbox' })(commit)).rejects.toBe(error);
  });
});
