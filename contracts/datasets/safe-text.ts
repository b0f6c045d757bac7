import { z } from 'zod';

/**
 * Characters no partner text field may hold: controls, and characters a reader cannot see or that change what
 * a reader sees (reordering, joining, hiding). Two ids that look the same must be the same id.
 * TAB is here too: no contract field allows it today (`textSchema({ allowTab: true })` would).
 */
const HIDDEN_RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x08], // C0 controls, NUL included
  [0x09, 0x09], // TAB
  [0x0a, 0x1f], // C0 controls, line breaks included
  [0x7f, 0x9f], // DEL and C1 controls
  [0xad, 0xad], // soft hyphen
  [0x061c, 0x061c], // Arabic letter mark
  [0x180e, 0x180e], // Mongolian vowel separator
  [0x200b, 0x200f], // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
  [0x2028, 0x202e], // line and paragraph separators; bidi embeddings and overrides
  [0x2060, 0x2064], // word joiner, invisible operators
  [0x2066, 0x2069], // bidi isolates
  [0xfeff, 0xfeff], // zero-width no-break space (a byte order mark inside text)
  [0xfff9, 0xfffb], // interlinear annotation controls
  [0xfffd, 0xfffd], // replacement character
  [0xe0000, 0xe007f], // tag characters (invisible text)
];

const TAB = 0x09;

function characterClass(ranges: readonly (readonly [number, number])[]): RegExp {
  const code = (codePoint: number) => `\\u{${codePoint.toString(16)}}`;
  const parts = ranges.map(([from, to]) => (from === to ? code(from) : `${code(from)}-${code(to)}`));
  return new RegExp(`[${parts.join('')}]`, 'u');
}

const HIDDEN = characterClass(HIDDEN_RANGES);
const HIDDEN_BUT_TAB = characterClass(HIDDEN_RANGES.filter(([from]) => from !== TAB));

const BIDI_CONTROLS = new Set([
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);

/** The class of a hidden character, as an operator reads it in a quarantine reason. */
function classOf(codePoint: number): string {
  if (codePoint === 0) return 'a NUL character';
  if (codePoint === 0x0a || codePoint === 0x0d) return 'a line break';
  if (codePoint === TAB) return 'a tab';
  if (codePoint < 0x20 || codePoint === 0x7f) return 'a control character';
  if (codePoint <= 0x9f) return 'a C1 control character';
  if (codePoint === 0xad) return 'a soft hyphen';
  if (BIDI_CONTROLS.has(codePoint)) return 'a bidirectional control character';
  if (ZERO_WIDTH.has(codePoint)) return 'a zero-width character';
  if (codePoint === 0x2028 || codePoint === 0x2029) return 'a line or paragraph separator';
  // U+FFFD is what a lossy decoder leaves behind: the text was damaged before the file was written.
  if (codePoint === 0xfffd) return 'a replacement character from a lossy decoding';
  return 'an invisible character';
}

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first hidden character of `text` described by class and code point, never by the text around it;
 * null when there is none.
 * @example findHiddenCharacter('tx\u200b1') // 'a zero-width character (U+200B)'
 */
export function findHiddenCharacter(text: string, options: { allowTab?: boolean } = {}): string | null {
  const match = (options.allowTab ? HIDDEN_BUT_TAB : HIDDEN).exec(text);
  if (!match) return null;
  const codePoint = match[0].codePointAt(0) as number;
  return `${classOf(codePoint)} (${hex(codePoint)})`;
}

/**
 * A string that holds no hidden character. Every text column of every contract starts from this schema, and the
 * check comes first, so the reason names the character (`contains a zero-width character (U+200B)`) rather than
 * a format rule the character happens to break.
 * @example const Reference = textSchema().max(64)
 */
export function textSchema(options: { allowTab?: boolean } = {}) {
  return z.string().superRefine((text, context) => {
    const hidden = findHiddenCharacter(text, options);
    if (hidden !== null) context.addIssue({ code: 'custom', message: `contains ${hidden}` });
  });
}

/** Text with no hidden character (see `textSchema`). */
export const TextSchema = textSchema();
