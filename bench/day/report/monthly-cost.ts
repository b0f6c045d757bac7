import { AWS_LIST_PRICES } from '../../../config/aws-list-prices.ts';
import type { InvocationTally } from '../e2e/invocation-meter.ts';
import type { KeyHistorySize } from '../e2e/key-history-size.ts';
import type { CallTally } from '../e2e/request-counter.ts';
import { billedUnits, billingClassOf, s3RequestClass } from './billing.ts';

/** The design load the cost is projected to (issue #11). */
export const DESIGN_RECORDS_PER_DAY = 120_000_000;
/** A month of days at the design load (a flat 30, not a calendar month). */
export const DAYS_PER_MONTH = 30;
/** Dedup keys are kept this long (FINLEDGER_DEDUP_RETENTION_DAYS default). */
export const KEY_RETENTION_DAYS = 400;

/** One service call per 1M records and its monthly cost at the design load. */
export interface CallCost {
  readonly service: string;
  readonly operation: string;
  readonly callsPerMillion: number;
  /** In the service's billing unit (capacity units, requests, events). */
  readonly billedPerMillion: number;
  readonly unit: string;
  readonly monthlyUsd: number;
}

/** The monthly bill at 120M records/day, linearly scaled from one measured day. */
export interface MonthlyCost {
  readonly calls: readonly CallCost[];
  readonly byService: Readonly<Record<string, number>>;
  readonly lambda: {
    readonly invocationsPerMillion: number;
    readonly gbSecondsPerMillion: number;
    readonly monthlyUsd: number;
  };
  readonly keyHistory: {
    readonly bytesPerKey: number;
    readonly storedGb: number;
    readonly monthlyUsd: number;
  };
  readonly totalUsd: number;
  /** Calls left out of the per-record projection, per billing class (counted, not billed here). */
  readonly leftOut: Readonly<Record<string, number>>;
}

const price = (name: keyof typeof AWS_LIST_PRICES) => AWS_LIST_PRICES[name].usd;

/** Dollars of one tally's billed units. */
function usdOf(tally: CallTally): number {
  switch (tally.service) {
    case 'DynamoDB':
      return (
        tally.readUnits * price('dynamodbReadRequestUnit') +
        tally.writeUnits * price('dynamodbWriteRequestUnit')
      );
    case 'S3': {
      const kind = s3RequestClass(tally.operation);
      return kind === 'free'
        ? 0
        : tally.attempts * price(kind === 'put' ? 's3PutCopyPostList' : 's3GetAndOther');
    }
    case 'SQS':
      return tally.attempts * price('sqsStandardRequest');
    case 'EventBridge':
      return tally.entries * price('eventBridgeCustomEvent');
  }
}

/**
 * Project a measured day to a month at 120M records a day: every per-record call (billing.ts) and every function
 * invocation scaled by records, plus the key history kept 400 days. Linear on purpose (as asked): per-file calls are
 * over-counted when the bench's files are smaller than production's (~600K records per file at 200 files a day).
 */
export function monthlyCost(input: {
  records: number;
  requests: readonly CallTally[];
  invocations: readonly InvocationTally[];
  keyHistory: KeyHistorySize;
}): MonthlyCost {
  const perMillion = 1_000_000 / input.records;
  const monthFactor = (DESIGN_RECORDS_PER_DAY * DAYS_PER_MONTH) / input.records;
  const grouped = new Map<
    string,
    { service: string; operation: string; calls: number; billed: number; unit: string; usd: number }
  >();
  const leftOut: Record<string, number> = {};
  for (const tally of input.requests) {
    const kind = billingClassOf(tally);
    if (kind !== 'per-record') {
      leftOut[kind] = (leftOut[kind] ?? 0) + tally.calls;
      continue;
    }
    const key = `${tally.service}|${tally.operation}`;
    const entry = grouped.get(key) ?? {
      service: tally.service,
      operation: tally.operation,
      calls: 0,
      billed: 0,
      unit: billedUnits(tally).unit,
      usd: 0,
    };
    entry.calls += tally.calls;
    entry.billed += billedUnits(tally).amount;
    entry.usd += usdOf(tally);
    grouped.set(key, entry);
  }
  const calls = [...grouped.values()]
    .map((entry) => ({
      service: entry.service,
      operation: entry.operation,
      callsPerMillion: entry.calls * perMillion,
      billedPerMillion: entry.billed * perMillion,
      unit: entry.unit,
      monthlyUsd: entry.usd * monthFactor,
    }))
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd);
  const byService: Record<string, number> = {};
  for (const call of calls) byService[call.service] = (byService[call.service] ?? 0) + call.monthlyUsd;
  const lambda = lambdaCost(input.invocations, perMillion, monthFactor);
  byService.Lambda = lambda.monthlyUsd;
  const bytesPerKey =
    input.keyHistory.liveKeys > 0 ? input.keyHistory.liveBytes / input.keyHistory.liveKeys : 0;
  const storedGb = (bytesPerKey * DESIGN_RECORDS_PER_DAY * KEY_RETENTION_DAYS) / 1e9;
  const keyHistory = { bytesPerKey, storedGb, monthlyUsd: storedGb * price('s3StandardStorage') };
  byService['S3 key-history storage'] = keyHistory.monthlyUsd;
  const totalUsd = Object.values(byService).reduce((total, usd) => total + usd, 0);
  return { calls, byService, lambda, keyHistory, totalUsd, leftOut };
}

/**
 * Lambda: one request per SQS-triggered invocation and per relay sweep that published (the stream trigger's work in
 * AWS); GB-seconds from the measured durations at each function's configured memory. The watchdog is a fixed schedule.
 */
function lambdaCost(invocations: readonly InvocationTally[], perMillion: number, monthFactor: number) {
  let requests = 0;
  let gbSeconds = 0;
  for (const tally of invocations) {
    if (tally.actor === 'completeness-watchdog') continue;
    const relay = tally.actor === 'outbox-relay';
    requests += relay ? tally.working : tally.invocations;
    gbSeconds += ((relay ? tally.workingSeconds : tally.seconds) * tally.memoryMb) / 1024;
  }
  return {
    invocationsPerMillion: requests * perMillion,
    gbSecondsPerMillion: gbSeconds * perMillion,
    monthlyUsd: (requests * price('lambdaRequest') + gbSeconds * price('lambdaGbSecond')) * monthFactor,
  };
}
