import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { failedMessageIds, lambdaContext, toSqsRecord } from './lambda-shapes.ts';

const records = ['m1', 'm2', 'm3'].map((messageId) => ({ messageId }) as SQSRecord);

describe('failedMessageIds', () => {
  it.each([
    ['nothing returned', { threw: false as const, result: undefined }, []],
    ['an empty failure list', { threw: false as const, result: { batchItemFailures: [] } }, []],
    [
      'one listed failure',
      { threw: false as const, result: { batchItemFailures: [{ itemIdentifier: 'm2' }] } },
      ['m2'],
    ],
    ['a throw', { threw: true as const }, ['m1', 'm2', 'm3']],
    [
      'an unknown identifier',
      { threw: false as const, result: { batchItemFailures: [{ itemIdentifier: 'x' }] } },
      ['m1', 'm2', 'm3'],
    ],
    [
      'an empty identifier',
      { threw: false as const, result: { batchItemFailures: [{ itemIdentifier: '' }] } },
      ['m1', 'm2', 'm3'],
    ],
    ['a non-list', { threw: false as const, result: { batchItemFailures: 'm1' } }, ['m1', 'm2', 'm3']],
  ])('fails the right records for %s', (_case, outcome, expected) => {
    // Act
    const failed = failedMessageIds(records, outcome);

    // Assess
    expect([...failed].sort()).toEqual(expected);
  });
});

describe('toSqsRecord', () => {
  it('base64-encodes binary attributes and keeps string ones, as Lambda does', () => {
    // Act
    const record = toSqsRecord(
      {
        MessageId: 'id',
        ReceiptHandle: 'rh',
        Body: 'b',
        MD5OfBody: 'md5',
        MessageAttributes: {
          text: { DataType: 'String', StringValue: 'hello' },
          bytes: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      },
      { arn: 'arn:aws:sqs:us-east-1:000000000000:q' },
      'us-east-1',
    );

    // Assess
    expect(record.messageAttributes).toEqual({
      text: { dataType: 'String', stringValue: 'hello', stringListValues: [], binaryListValues: [] },
      bytes: { dataType: 'Binary', binaryValue: 'AQID', stringListValues: [], binaryListValues: [] },
    });
  });
});

describe('lambdaContext', () => {
  it('names the function and counts down from its timeout', () => {
    // Act
    const context = lambdaContext({
      functionName: 'fn',
      timeoutSeconds: 2,
      memoryMb: 256,
      region: 'eu-west-1',
    });

    // Assess
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:000000000000:function:fn');
    expect(context.memoryLimitInMB).toBe('256');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(1900);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(2000);
  });
});
