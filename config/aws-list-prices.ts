/**
 * AWS list prices (us-east-1, USD, on-demand, no free tier, no Savings Plans) that `npm run bench` turns its
 * measured request counts into a monthly cost with. Data, not code: one dated place, so a stale price is visible.
 * Each price names where it was read and whether the official page itself showed the number (`verified`), or only a
 * secondary source quoting it (`secondary`). Re-check every entry before using the cost figure for a decision.
 */

/** One list price: the amount per `unit`, where it was read, and how well it is confirmed. */
export interface ListPrice {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  /**
   * `official`: the number was read on an AWS page or AWS whitepaper. `secondary`: the official page's price cell
   * was not readable in the lookup, and the number was read in a third-party summary that quotes it.
   */
  readonly confirmation: 'official' | 'secondary';
  readonly note?: string;
}

/** When the prices below were looked up (with the `search` tool of the bench session, not from memory). */
export const PRICES_LOOKED_UP_ON = '2026-12-06';

export const PRICES_REGION = 'us-east-1';

export const AWS_LIST_PRICES = {
  dynamodbWriteRequestUnit: {
    usd: 0.625 / 1_000_000,
    unit: 'write request unit (on-demand, Standard table class)',
    source:
      'https://aws.amazon.com/dynamodb/pricing/on-demand/ (price cell not readable); number from https://airbyte.com/data-engineering-resources/dynamodb-pricing (US East, after the November 2024 50 % cut)',
    confirmation: 'secondary',
    note: 'a transactional write costs 2 units per KB; a standard write 1 per KB',
  },
  dynamodbReadRequestUnit: {
    usd: 0.125 / 1_000_000,
    unit: 'read request unit (on-demand, Standard table class)',
    source:
      'https://aws.amazon.com/dynamodb/pricing/on-demand/ (price cell not readable); number from https://airbyte.com/data-engineering-resources/dynamodb-pricing',
    confirmation: 'secondary',
    note: 'strongly consistent 1 unit per 4 KB, eventually consistent ½, transactional 2',
  },
  s3PutCopyPostList: {
    usd: 0.005 / 1_000,
    unit: 'S3 Standard PUT, COPY, POST or LIST request (multipart: each part and the create/complete calls)',
    source:
      'https://aws.amazon.com/s3/pricing/ (price cells are template tokens in the stored copy); number from https://c3x.dev/blog/s3-request-fees-explained and https://devnotes.tech/understanding-aws-s3-pricing-a-complete-cost-breakdown-with-examples',
    confirmation: 'secondary',
  },
  s3GetAndOther: {
    usd: 0.0004 / 1_000,
    unit: 'S3 Standard GET, HEAD, SELECT and every other request (DELETE is free)',
    source: 'as s3PutCopyPostList',
    confirmation: 'secondary',
  },
  s3StandardStorage: {
    usd: 0.023,
    unit: 'GB-month of S3 Standard, first 50 TB (0.022 next 450 TB, 0.021 above)',
    source:
      'https://aws.amazon.com/s3/pricing/; number from https://deepeshsoni.com/archives/256 and https://devnotes.tech/understanding-aws-s3-pricing-a-complete-cost-breakdown-with-examples',
    confirmation: 'secondary',
    note: 'the bench applies the first tier to every GB: an upper bound above 50 TB',
  },
  sqsStandardRequest: {
    usd: 0.4 / 1_000_000,
    unit: 'SQS standard-queue request (each 64 KB chunk of a payload is one request), first 100 billion a month',
    source:
      'https://aws.amazon.com/sqs/pricing/; number from https://cloudburn.io/blog/amazon-sqs-pricing and https://www.factualminds.com/blog/amazon-sqs-pricing-64kb-rule-fifo-vs-standard/',
    confirmation: 'secondary',
  },
  eventBridgeCustomEvent: {
    usd: 1.0 / 1_000_000,
    unit: 'EventBridge custom event published with PutEvents (each 64 KB chunk of an entry is one event)',
    source:
      'https://aws.amazon.com/eventbridge/pricing/; number from https://cloudburn.io/blog/amazon-eventbridge-pricing and https://blog.awsfundamentals.com/aws-eventbridge-pricing-guide',
    confirmation: 'secondary',
    note: 'events from AWS services (S3 Object Created) are free',
  },
  lambdaGbSecond: {
    usd: 0.0000166667,
    unit: 'Lambda GB-second, x86, first 6 billion GB-s a month',
    source:
      'https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html ($0.00001667 per GB-second); https://cloudchipr.com/blog/aws-lambda-pricing (first tier, us-east-1)',
    confirmation: 'official',
  },
  lambdaRequest: {
    usd: 0.2 / 1_000_000,
    unit: 'Lambda request (invocation)',
    source: 'https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html',
    confirmation: 'official',
  },
} as const satisfies Record<string, ListPrice>;

export type PriceName = keyof typeof AWS_LIST_PRICES;
