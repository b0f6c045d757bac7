import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { failedConditions } from './transaction-cancellation.ts';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('failedConditions', () => {
  it.each([
    [['ConditionalCheckFailed', 'None', 'None'], [0]],
    [['None', 'ConditionalCheckFailed', 'None'], [1]],
    [
      ['ConditionalCheckFailed', 'ConditionalCheckFailed', 'None'],
      [0, 1],
    ],
    [['None', 'TransactionConflict', 'None'], undefined],
    [['ConditionalCheckFailed', 'ThrottlingError'], undefined],
  ])('reads %o as %o', (codes, expected) => {
    expect(failedConditions(cancelled(...codes))).toEqual(expected);
  });

  it('ignores errors that are not cancellations', () => {
    expect(failedConditions(new Error('boom'))).toBeUndefined();
  });
});
