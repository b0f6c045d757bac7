import { describe, expect, it } from 'vitest';
import { cappedDifferences, SHOWN_PER_PATH, wallTime } from './format-result.ts';

describe('cappedDifferences', () => {
  it('shows the first differences of a long path and counts the rest', () => {
    // Prepare
    const many = Array.from({ length: SHOWN_PER_PATH + 3 }, (_, i) => `exceptions[x]: (absent) ≠ "row ${i}"`);

    // Act
    const shown = cappedDifferences(['files[a].stage: "VALIDATED" ≠ "LANDED"', ...many]);

    // Assess
    expect(shown).toHaveLength(1 + SHOWN_PER_PATH + 1);
    expect(shown.at(-1)).toBe('… 3 more at exceptions[x] (--json lists every one)');
  });
});

describe('wallTime', () => {
  it.each([
    [843_000, '14 min 3 s'],
    [42_400, '42 s'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(wallTime(ms)).toBe(text);
  });
});
