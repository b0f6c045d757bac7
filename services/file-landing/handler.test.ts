import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { UnexpectedEventError } from '../../lib/consumer/eventbridge-record.ts';
import fixture from '../../test/events/s3-object-created.json' with { type: 'json' };
import { BUCKETS, FakeWorld } from './file-landing.fakes.ts';
import { fileLandingConsumer, parseObjectCreatedRecord } from './handler.ts';

function sqsRecord(body: unknown): SQSRecord {
  return {
    messageId: 'm-1',
    receiptHandle: 'r',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 's',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:111122223333:file-landing',
    awsRegion: 'eu-central-1',
  };
}

describe('file-landing handler', () => {
  it('imports without configuration and parses the fixture into a frozen notice', () => {
    // Act
    const notice = parseObjectCreatedRecord(sqsRecord(fixture));

    // Assess
    expect(notice.key).toBe(fixture.detail.object.key);
    expect(Object.isFrozen(notice)).toBe(true);
  });

  it.each([
    ['a non-JSON body', 'not json'],
    [
      'a finledger event',
      { ...fixture, source: 'finledger.schema-validate', 'detail-type': 'FileValidated' },
    ],
    ['a malformed S3 detail', { ...fixture, detail: { bucket: {} } }],
  ])('treats %s as a poison message', (_case, body) => {
    expect(() => parseObjectCreatedRecord(sqsRecord(body))).toThrow(UnexpectedEventError);
  });

  it('keys on the delivered object version and fingerprints size and etag', () => {
    // Prepare
    const consumer = fileLandingConsumer(() => new FakeWorld().deps());
    const notice = consumer.parse(sqsRecord(fixture));

    // Act
    const key = consumer.idempotencyKey(notice);
    const fingerprint = consumer.fingerprint(notice);
    const logKeys = consumer.logKeys(notice);

    // Assess
    expect(key).toBe(
      `file-landing:finledger-dev-landing/${fixture.detail.object.key}:${fixture.detail.object['version-id']}`,
    );
    expect(fingerprint).toBe(`18342:${fixture.detail.object.etag}`);
    expect(logKeys).toEqual({
      s3EventId: fixture.id,
      landingKey: fixture.detail.object.key,
      partner: 'acme-bank',
    });
  });

  it('runs the use case with the injected ports', async () => {
    // Prepare
    const world = new FakeWorld();
    const key = fixture.detail.object.key;
    world.put(BUCKETS.landingBucket, key, 'h\n1\n');
    const consumer = fileLandingConsumer(() => world.deps());
    const body = { ...fixture, detail: { ...fixture.detail, bucket: { name: BUCKETS.landingBucket } } };

    // Act
    const outcome = await consumer.process(consumer.parse(sqsRecord(body)), {} as never);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'landed' });
    expect(world.events).toHaveLength(1);
  });
});
