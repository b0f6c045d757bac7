import { describe, expect, it } from 'vitest';
import {
  firehoseErrorPrefix,
  firehosePrefix,
  PARTITION_KEY_QUERY,
  partitionOf,
  typeOfSegment,
  typeSegment,
} from './layout.ts';

describe('event log layout', () => {
  it.each([
    [
      'a finledger event',
      'finledger.file-landing',
      'FileLanded',
      'event-log/type=FileLanded/date=2026-11-19/',
    ],
    [
      "landing's S3 notification, under the card-data prefix",
      'aws.s3',
      'Object Created',
      'restricted/event-log/type=Object%20Created/date=2026-11-19/',
    ],
  ])('puts %s in its type and UTC date partition', (_name, source, type, partition) => {
    expect(partitionOf({ source, 'detail-type': type, time: '2026-11-19T23:59:59Z' })).toBe(partition);
  });

  it.each([
    ['a PascalCase type', 'FileLanded', 'FileLanded'],
    ['a space', 'Object Created', 'Object%20Created'],
    ['a slash, which would split the key', 'a/b', 'a%2Fb'],
    ["jq 1.6's unreserved marks", "x-_.!~*'()", "x-_.!~*'()"],
    ['a non-ASCII letter, as UTF-8 bytes', 'é', '%C3%A9'],
  ])('encodes %s as jq 1.6 @uri does, and decodes it back', (_name, type, segment) => {
    expect(typeSegment(type)).toBe(segment);
    expect(typeOfSegment(segment)).toBe(type);
  });

  it("writes Firehose's prefix with the same structure, its keys from one jq query", () => {
    const evaluated = (zone: 'main' | 'restricted') =>
      firehosePrefix(zone)
        .replace('!{partitionKeyFromQuery:type}', typeSegment('Object Created'))
        .replace('!{partitionKeyFromQuery:date}', '2026-11-19');

    expect(evaluated('restricted')).toBe(
      partitionOf({ source: 'aws.s3', 'detail-type': 'Object Created', time: '2026-11-19T08:00:00Z' }),
    );
    expect(evaluated('main')).toBe('event-log/type=Object%20Created/date=2026-11-19/');
    expect(PARTITION_KEY_QUERY).toBe('{type: .["detail-type"] | @uri, date: .time[0:10]}');
    expect(firehoseErrorPrefix('restricted')).toMatch(/^restricted\/.*!\{firehose:error-output-type\}/);
  });
});
