import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  RECORDS_DEDUPLICATED_VERSIONS,
  RecordsDeduplicatedV1,
} from '../../contracts/events/records-deduplicated.ts';
import fixture from '../../test/events/records-deduplicated-v2.json' with { type: 'json' };
import { parseEventRecordOf, UnexpectedEventError } from './eventbridge-record.ts';

const recordOf = (event: unknown): SQSRecord =>
  ({ messageId: 'm-1', body: JSON.stringify(event) }) as SQSRecord;

/** The fixture's v2 detail with both lists in the event: what a v1 producer writes. */
const v1Detail = {
  ...fixture.detail,
  version: 1,
  data: {
    ...fixture.detail.data,
    duplicates: { ...fixture.detail.data.conflicts, prefix: fixture.detail.data.duplicates.prefix },
  },
};

describe('parseEventRecordOf', () => {
  it.each([
    ['v2, by its version', fixture, 2],
    ['v1, by its version', { ...fixture, detail: v1Detail }, 1],
  ])('parses %s', (_name, event, version) => {
    // Act
    const detail = parseEventRecordOf(recordOf(event), RECORDS_DEDUPLICATED_VERSIONS);

    // Assess
    expect(detail.version).toBe(version);
    expect(detail.data.fileId).toBe(fixture.detail.data.fileId);
  });

  it.each([
    [
      'a version it does not know',
      { ...fixture, detail: { ...fixture.detail, version: 3 } },
      /v3 is none of/,
    ],
    ['another detail-type', { ...fixture, 'detail-type': 'FileLanded' }, /FileLanded v2 is none of/],
    [
      'a v2 detail labelled v1',
      { ...fixture, detail: { ...fixture.detail, version: 1 } },
      /RecordsDeduplicated v1:/,
    ],
  ])('refuses %s, for the DLQ', (_name, event, message) => {
    // Act
    const parse = () =>
      parseEventRecordOf(recordOf(event), [RecordsDeduplicatedV1, ...RECORDS_DEDUPLICATED_VERSIONS]);

    // Assess
    expect(parse).toThrow(UnexpectedEventError);
    expect(parse).toThrow(message);
  });
});
