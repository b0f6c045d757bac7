import { describe, expect, it } from 'vitest';
import { DEFAULT_SET_ENGINE_LIMITS, withSetEngine } from '../../../lib/duckdb/set-engine.ts';
import { createRandom } from '../../../test/sample-data/prng.ts';
import { utf16OrderKeySql } from './utf16-order.ts';

/** Characters on both sides of every boundary where UTF-16 and UTF-8 orders part, and ordinary ones. */
const PIECES = [
  '',
  'a',
  'Z',
  '~',
  'é',
  '\u07ff',
  '\u0800',
  '中',
  '\ud7ff',
  '\ue000',
  '\uf8ff',
  '\uff01',
  '\uffee',
];
const SUPPLEMENTARY = ['\u{10000}', '😀', '𝄞', '\u{1f9d1}\u{200d}\u{1f4bb}', '\u{10ffff}'];

/** A text of 0-4 pieces drawn from both lists. */
function randomText(random: ReturnType<typeof createRandom>): string {
  return Array.from({ length: random.int(0, 4) }, () => random.pick([...PIECES, ...SUPPLEMENTARY])).join('');
}

/** Sort texts in DuckDB by the key and return them in that order. */
async function sortedInSql(texts: readonly string[]): Promise<string[]> {
  return withSetEngine(DEFAULT_SET_ENGINE_LIMITS, async (engine) => {
    await engine.db.run('CREATE TABLE texts (position INTEGER, text VARCHAR)');
    const appender = await engine.db.createAppender('texts');
    for (const [position, text] of texts.entries()) {
      appender.appendInteger(position);
      appender.appendVarchar(text);
      appender.endRow();
    }
    appender.closeSync();
    const sorted = await engine.db.runAndReadAll(
      `SELECT position FROM texts ORDER BY ${utf16OrderKeySql('text')}, position`,
    );
    return sorted.getRows().map(([position]) => texts[Number(position)] as string);
  });
}

describe('utf16OrderKeySql', () => {
  it('orders a supplementary character before U+E000–U+FFFF, as JS does and UTF-8 bytes do not', async () => {
    // Prepare
    const texts = ['a\uff01', 'a😀', 'a\ue000', 'a\ud7ff', 'a', 'a\uffee𝄞', 'a\uffee'];

    // Act
    const sorted = await sortedInSql(texts);

    // Assess
    expect(sorted).toEqual([...texts].sort());
    expect(sorted).toEqual(['a', 'a\ud7ff', 'a😀', 'a\ue000', 'a\uff01', 'a\uffee', 'a\uffee𝄞']);
  });

  it('gives the JS order of 2,000 random texts (seeded)', async () => {
    // Prepare
    const random = createRandom(20_261_120);
    const texts = Array.from({ length: 2_000 }, () => randomText(random));

    // Act
    const sorted = await sortedInSql(texts);

    // Assess
    expect(sorted).toEqual([...texts].sort());
    expect(texts.some((text) => /[\u{10000}-\u{10ffff}]/u.test(text) && /[\ue000-\uffff]/u.test(text))).toBe(
      true,
    );
  });
});
