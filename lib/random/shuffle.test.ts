import { describe, expect, it } from 'vitest';
import { shuffleInPlace } from './shuffle.ts';

describe('shuffleInPlace', () => {
  it('keeps every item once and follows the picks', () => {
    // Picks always 0: each position from the end swaps with the first, a known permutation.
    const items = ['a', 'b', 'c', 'd'];

    const result = shuffleInPlace(items, () => 0);

    expect(result).toBe(items);
    expect(result).toEqual(['b', 'c', 'd', 'a']);
    expect([...result].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('leaves the order alone when each item is picked in its own place', () => {
    expect(shuffleInPlace([1, 2, 3], (max) => max)).toEqual([1, 2, 3]);
  });
});
