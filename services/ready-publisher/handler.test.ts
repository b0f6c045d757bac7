import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { UnexpectedEventError } from '../../lib/consumer/eventbridge-record.ts';
import fixture from '../../test/events/settlements-matched-v2.json' with { type: 'json' };
import { parseTrigger, scopeOf } from './handler.ts';

const recordOf = (event: unknown): SQSRecord =>
  ({ messageId: 'm-1', body: JSON.stringify(event) }) as SQSRecord;

/** The fixture's run with its results listed: what settlement-match publishes as v1. */
const v1 = {
  ...fixture,
  detail: {
    ...fixture.detail,
    version: 1,
    data: {
      ...fixture.detail.data,
      results: {
        bucket: fixture.detail.data.results.bucket,
        prefix: fixture.detail.data.results.prefix,
        parts: [`${fixture.detail.data.results.prefix}part-00000.jsonl`],
      },
    },
  },
};

describe('parseTrigger', () => {
  it.each([
    ['SettlementsMatched v2, its results in a manifest', fixture, 2],
    ['SettlementsMatched v1, its results listed', v1, 1],
  ])('parses %s and scopes it to the transactions of its date', (_name, event, version) => {
    // Act
    const trigger = parseTrigger(recordOf(event));

    // Assess
    expect(trigger.version).toBe(version);
    expect(trigger.type).toBe('SettlementsMatched');
    expect(scopeOf(trigger)).toEqual({ dataset: 'transactions', businessDate: '2026-11-20' });
  });

  it.each([
    ['a version it does not know', { ...fixture, detail: { ...fixture.detail, version: 3 } }],
    ['a manifest labelled v1', { ...fixture, detail: { ...fixture.detail, version: 1 } }],
    ['a detail-type that is no trigger', { ...fixture, 'detail-type': 'RecordsDeduplicated' }],
  ])('refuses %s, for the DLQ', (_name, event) => {
    // Act
    const parse = () => parseTrigger(recordOf(event));

    // Assess
    expect(parse).toThrow(UnexpectedEventError);
  });
});
