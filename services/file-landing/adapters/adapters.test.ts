import { describe, expect, it } from 'vitest';
import { copySource } from './s3-object-store.ts';

describe('copySource', () => {
  it.each([
    [{ bucket: 'b', key: 'inbound/a/tx.csv', versionId: null }, 'b/inbound/a/tx.csv'],
    [{ bucket: 'b', key: 'inbound/a b/c+d%.csv', versionId: null }, 'b/inbound/a%20b/c%2Bd%25.csv'],
    [{ bucket: 'b', key: 'k.csv', versionId: 'v 1' }, 'b/k.csv?versionId=v%201'],
  ])('encodes %o', (source, expected) => {
    expect(copySource(source)).toBe(expected);
  });
});
