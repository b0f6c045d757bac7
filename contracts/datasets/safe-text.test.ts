import { describe, expect, it } from 'vitest';
import { datasetCatalog } from './catalog.ts';
import { findHiddenCharacter, textSchema } from './safe-text.ts';

describe('findHiddenCharacter', () => {
  it.each([
    ['\0', 'a NUL character (U+0000)'],
    ['\x01', 'a control character (U+0001)'],
    ['\t', 'a tab (U+0009)'],
    ['\n', 'a line break (U+000A)'],
    ['\r', 'a line break (U+000D)'],
    ['\x7f', 'a control character (U+007F)'],
    ['\x85', 'a C1 control character (U+0085)'],
    ['\x9f', 'a C1 control character (U+009F)'],
    ['\xad', 'a soft hyphen (U+00AD)'],
    ['\u061c', 'a bidirectional control character (U+061C)'],
    ['\u200e', 'a bidirectional control character (U+200E)'],
    ['\u200f', 'a bidirectional control character (U+200F)'],
    ['\u202a', 'a bidirectional control character (U+202A)'],
    ['\u202e', 'a bidirectional control character (U+202E)'],
    ['\u2066', 'a bidirectional control character (U+2066)'],
    ['\u2069', 'a bidirectional control character (U+2069)'],
    ['\u200b', 'a zero-width character (U+200B)'],
    ['\u200c', 'a zero-width character (U+200C)'],
    ['\u200d', 'a zero-width character (U+200D)'],
    ['\u2060', 'a zero-width character (U+2060)'],
    ['\ufeff', 'a zero-width character (U+FEFF)'],
    ['\u2061', 'an invisible character (U+2061)'],
    ['\u2064', 'an invisible character (U+2064)'],
    ['\u180e', 'an invisible character (U+180E)'],
    ['\u{e0041}', 'an invisible character (U+E0041)'],
    ['\u2028', 'a line or paragraph separator (U+2028)'],
    ['\ufffd', 'a replacement character from a lossy decoding (U+FFFD)'],
  ])('names %j as %s, wherever it stands', (char, described) => {
    // Act / Assess
    for (const text of [char, `tx${char}1`, `tx-1${char}`]) expect(findHiddenCharacter(text)).toBe(described);
  });

  it.each(['tx-1', 'Müller & Söhne', 'café €5', 'Ελληνικά', 'שלום', '日本語', 'a\u00a0b', '👍🏽'])(
    'finds nothing in visible text %j',
    (text) => {
      // Act / Assess
      expect(findHiddenCharacter(text)).toBeNull();
    },
  );

  it('names the first hidden character only', () => {
    // Act / Assess
    expect(findHiddenCharacter('a\u202eb\u200bc')).toBe('a bidirectional control character (U+202E)');
  });

  it('lets TAB through only when the field allows it', () => {
    // Act / Assess
    expect(findHiddenCharacter('a\tb', { allowTab: true })).toBeNull();
    expect(findHiddenCharacter('a\tb\x01', { allowTab: true })).toBe('a control character (U+0001)');
  });
});

describe('textSchema', () => {
  it('reports the hidden character first, before any other rule of the field', () => {
    // Prepare
    const schema = textSchema().regex(/^[a-z]+$/, 'must be lower-case letters');

    // Act
    const result = schema.safeParse('ab\u200bc');

    // Assess
    expect(result.error?.issues[0]?.message).toBe('contains a zero-width character (U+200B)');
  });
});

describe('every text column of every contract', () => {
  const columns = datasetCatalog.flatMap((contract) =>
    contract.columns.map((column) => [`${contract.name} v${contract.version}`, column, contract] as const),
  );

  it.each(columns)(
    '%s %s refuses a zero-width character, naming it and never the value',
    (_name, column, contract) => {
      // Prepare
      const row = Object.fromEntries(contract.columns.map((name) => [name, 'secret\u200bvalue']));

      // Act
      const result = contract.rowSchema.safeParse(row);

      // Assess
      const issue = result.error?.issues.find((candidate) => candidate.path[0] === column);
      expect(issue?.message).toBe('contains a zero-width character (U+200B)');
    },
  );
});
