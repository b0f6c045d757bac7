import { describe, expect, it } from 'vitest';
import { CompactKeyMap, hashRow } from './key-map.ts';

const row = (key: string, content: string) => hashRow(key, content.repeat(64).slice(0, 64));

describe('CompactKeyMap', () => {
  it('tells a first sighting, an exact repeat and another content apart, and remembers the first conflict', () => {
    // Prepare
    const map = new CompactKeyMap(4);

    // Act
    const seen = [
      map.observe(row('k1', 'a'), 2),
      map.observe(row('k2', 'a'), 3),
      map.observe(row('k1', 'a'), 4),
      map.observe(row('k1', 'b'), 5),
      map.observe(row('k1', 'c'), 6),
    ];

    // Assess
    expect(seen).toEqual(['first', 'first', 'duplicate', 'conflict', 'conflict']);
    expect(map.size).toBe(2);
    expect(map.get(row('k1', 'z'))).toMatchObject({ firstRow: 2, conflictRow: 5 });
    expect(map.get(row('k2', 'a'))).toMatchObject({ firstRow: 3, conflictRow: null });
    expect(map.get(row('k3', 'a'))).toBeUndefined();
  });

  it('refuses more distinct keys than it was sized for', () => {
    const map = new CompactKeyMap(1);
    map.observe(row('k1', 'a'), 2);

    expect(() => map.observe(row('k2', 'a'), 3)).toThrow(RangeError);
  });

  it.each([1_000, 100_000])('holds %i keys in at most 36 bytes per key', (count) => {
    // Prepare
    const map = new CompactKeyMap(count);

    // Act
    for (let index = 0; index < count; index += 1)
      map.observe(row(`KEY#transactions#p#tx-${index}`, 'a'), index);

    // Assess
    expect(map.size).toBe(count);
    expect(map.byteLength / count).toBeLessThanOrEqual(36);
    expect(map.get(row(`KEY#transactions#p#tx-${count - 1}`, 'a'))?.firstRow).toBe(count - 1);
  });
});
