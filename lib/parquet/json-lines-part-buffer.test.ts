import { describe, expect, it } from 'vitest';
import { JsonLinesPartBuffer } from './json-lines-part-buffer.ts';
import { readJsonLines } from './test-support/read-parts.ts';

const entry = {
  rowNumber: 3,
  field: 'amount',
  reason: 'amount is negative',
  maskedLine: 'a,"b\nc"',
  fileId: 'f_1',
  runId: 'run_1',
};

describe('JsonLinesPartBuffer', () => {
  it('writes one JSON object per line, line breaks inside values escaped', () => {
    // Prepare
    const buffer = new JsonLinesPartBuffer(10, 1_000);
    buffer.add(entry);
    buffer.add({ ...entry, rowNumber: 4 });

    // Act
    const bytes = buffer.finish();

    // Assess
    expect(readJsonLines(bytes)).toEqual([entry, { ...entry, rowNumber: 4 }]);
    expect(buffer.entryCount).toBe(0);
  });

  it.each([
    ['by entries', 2, 1_000_000, 2],
    ['by characters', 100, 150, 2],
  ])('reports full %s', (_name, maxEntries, maxCharacters, fullAfter) => {
    // Prepare
    const buffer = new JsonLinesPartBuffer(maxEntries, maxCharacters);

    // Act
    const states = Array.from({ length: 3 }, () => {
      buffer.add(entry);
      return buffer.full;
    });

    // Assess
    expect(states.indexOf(true) + 1).toBe(fullAfter);
  });
});
