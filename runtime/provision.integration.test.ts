import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../topology/topology.ts';
import { provision } from './provision.ts';
import { startTestStack, type TestStack } from './testing/helpers.ts';

describe('provision', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ stage: 'test' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is idempotent and creates exactly the topology tables, queues, DLQs and buckets', async () => {
    // Prepare
    const { clients, emulators } = stack;
    // On the test run's shared DynamoDB Local, this stack's tables carry its own prefix beside other files' tables.
    const prefix = emulators.tablePrefix;

    // Act
    const again = await provision(topology, 'test', emulators.endpoints, { tablePrefix: prefix });
    const tables = ((await clients.dynamodb.send(new ListTablesCommand({}))).TableNames ?? []).filter(
      (name) => name.startsWith(prefix),
    );
    const queues = ((await clients.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).map((url) =>
      url.split('/').pop(),
    );
    const buckets = ((await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map(
      (bucket) => bucket.Name,
    );

    // Assess
    expect(again).toEqual(stack.resources);
    expect(tables.sort()).toEqual(
      [
        'finledger-test-dedup-history',
        'finledger-test-files',
        'finledger-test-idempotency',
        'finledger-test-outbox',
      ].map((name) => `${prefix}${name}`),
    );
    expect(queues.sort()).toEqual([
      'finledger-test-dedup',
      'finledger-test-dedup-bus-dlq',
      'finledger-test-dedup-dlq',
      'finledger-test-dedup-unit',
      'finledger-test-dedup-unit-dlq',
      'finledger-test-file-landing',
      'finledger-test-file-landing-bus-dlq',
      'finledger-test-file-landing-dlq',
      'finledger-test-ready-publisher',
      'finledger-test-ready-publisher-bus-dlq',
      'finledger-test-ready-publisher-dlq',
      'finledger-test-ready-publisher-gold-unit',
      'finledger-test-ready-publisher-gold-unit-dlq',
      'finledger-test-reconcile',
      'finledger-test-reconcile-bus-dlq',
      'finledger-test-reconcile-dlq',
      'finledger-test-schema-validate',
      'finledger-test-schema-validate-bus-dlq',
      'finledger-test-schema-validate-chunk',
      'finledger-test-schema-validate-chunk-dlq',
      'finledger-test-schema-validate-dlq',
      'finledger-test-settlement-match',
      'finledger-test-settlement-match-bus-dlq',
      'finledger-test-settlement-match-dlq',
      'finledger-test-settlement-match-unit',
      'finledger-test-settlement-match-unit-dlq',
    ]);
    expect(buckets.sort()).toEqual(topology.buckets.map((bucket) => `finledger-test-${bucket.name}`).sort());
    expect(again.bus.name).toBe('finledger-test-bus');
  });

  it('gives the outbox table its sparse index, stream and TTL', async () => {
    // Act
    const { Table } = await stack.clients.dynamodb.send(
      new DescribeTableCommand({ TableName: stack.resources.tables.outbox?.name }),
    );
    const ttl = await stack.clients.dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: stack.resources.tables.outbox?.name }),
    );

    // Assess
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['pending']);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(stack.resources.tables.outbox?.streamArn).toBe(Table?.LatestStreamArn);
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('gives the files table the open-work and business-date indexes of the topology', async () => {
    // Act
    const { Table } = await stack.clients.dynamodb.send(
      new DescribeTableCommand({ TableName: stack.resources.tables.files?.name }),
    );

    // Assess
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(['files-by-day', 'open-files']);
    expect(indexes.find((index) => index.IndexName === 'files-by-day')?.KeySchema).toEqual([
      { AttributeName: 'day', KeyType: 'HASH' },
      { AttributeName: 'daySort', KeyType: 'RANGE' },
    ]);
  });

  it.each(topology.services)('configures the $name queue redrive from the topology', async (service) => {
    // Prepare
    const queues = stack.resources.services[service.name];

    // Act
    const { Attributes } = await stack.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queues?.queue.url, AttributeNames: ['All'] }),
    );
    const dlq = await stack.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queues?.dlq.url,
        AttributeNames: ['MessageRetentionPeriod'],
      }),
    );

    // Assess
    expect(Attributes?.VisibilityTimeout).toBe(String(service.queue.visibilityTimeoutSeconds));
    expect(Attributes?.MessageRetentionPeriod).toBe(String(service.queue.retentionSeconds));
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: queues?.dlq.arn,
      maxReceiveCount: service.queue.maxReceiveCount,
    });
    expect(dlq.Attributes?.MessageRetentionPeriod).toBe(String(service.queue.dlqRetentionSeconds));
  });
});
