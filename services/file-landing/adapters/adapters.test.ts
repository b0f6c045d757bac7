import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { failedConditions } from './cancellation.ts';
import { copySource } from './s3-object-store.ts';

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

describe('copySource', () => {
  it.each([
    [{ bucket: 'b', key: 'inbound/a/tx.csv', versionId: null }, 'b/inbound/a/tx.csv'],
    [{ bucket: 'b', key: 'inbound/a b/c+d%.csv', versionId: null }, 'b/inbound/a%20b/c%2Bd%25.csv'],
    [{ bucket: 'b', key: 'k.csv', versionId: 'v 1' }, 'b/k.csv?versionId=v%201'],
  ])('encodes %o', (source, expected) => {
    expect(copySource(source)).toBe(expected);
  });
});
