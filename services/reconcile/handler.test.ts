import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { RecordsDeduplicatedV2 } from '../../contracts/events/records-deduplicated.ts';
import fixture from '../../test/events/records-deduplicated-v2.json' with { type: 'json' };
import { parseTrigger, scopeOf } from './handler.ts';

const recordOf = (event: unknown): SQSRecord =>
  ({ messageId: 'm-1', body: JSON.stringify(event) }) as SQSRecord;

describe('parseTrigger', () => {
  it('parses a RecordsDeduplicated v2 whose duplicates are in a manifest, and scopes it as v1', () => {
    // Act
    const trigger = parseTrigger(recordOf(fixture));

    // Assess
    expect(trigger).toEqual(RecordsDeduplicatedV2.schema.parse(fixture.detail));
    expect(scopeOf(trigger)).toEqual({
      partner: 'acme-bank',
      dataset: 'transactions',
      businessDate: '2026-11-20',
    });
  });

  it('refuses a RecordsDeduplicated of a version it does not subscribe to', () => {
    expect(() => parseTrigger(recordOf({ ...fixture, detail: { ...fixture.detail, version: 3 } }))).toThrow(
      /RecordsDeduplicated v3 is none of RecordsDeduplicated v1, RecordsDeduplicated v2/,
    );
  });
});
