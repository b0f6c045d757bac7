import { type CardSpan, cardNumberSpans, maskCardNumbers } from '../card-numbers.ts';
import { insideMachineToken } from './machine-tokens.ts';

/** One card number found in text, reported without its digits. */
export interface TextHit {
  /** 1-based line, and 1-based column in the text's units (characters, or bytes for a byte view). */
  readonly line: number;
  readonly column: number;
  /** The card number masked, with a little context; nothing in it is a clear card number. */
  readonly excerpt: string;
}

/** Characters of context on each side of a finding. */
const CONTEXT = 16;

/**
 * Card numbers in text as `cardNumberSpans` defines them, except those inside machine tokens (hex digests, UUIDs;
 * see `insideMachineToken`).
 * @example cardSpansToReport('tx 4111111111111111') // [{ start: 3, end: 19 }]
 */
export function cardSpansToReport(text: string): CardSpan[] {
  return cardNumberSpans(text).filter((span) => !insideMachineToken(text, span));
}

/**
 * Card numbers in text, with line and column. Lines count `\n`, so CSV, JSON Lines and log files read naturally.
 * @example scanText('a\nb 4111111111111111') // [{ line: 2, column: 3, excerpt: 'b ************1111' }]
 */
export function scanText(text: string): TextHit[] {
  return scanTextChunks([text]);
}

/**
 * `scanText` over consecutive pieces of one text, each cut where no card number can straddle it (see
 * `safeCuts`), so a large object is never held as one string. Lines and columns run on across pieces.
 */
export function scanTextChunks(chunks: Iterable<string>): TextHit[] {
  const hits: TextHit[] = [];
  let line = 1;
  let column = 1;
  for (const chunk of chunks) {
    let cursor = 0;
    const advanceTo = (to: number) => {
      let newline = chunk.indexOf('\n', cursor);
      let lastNewline = -1;
      while (newline !== -1 && newline < to) {
        line += 1;
        lastNewline = newline;
        newline = chunk.indexOf('\n', newline + 1);
      }
      column = lastNewline === -1 ? column + (to - cursor) : to - lastNewline;
      cursor = to;
    };
    for (const span of cardSpansToReport(chunk)) {
      advanceTo(span.start);
      hits.push({ line, column, excerpt: maskedExcerpt(chunk, span) });
    }
    advanceTo(chunk.length);
  }
  return hits;
}

/** Digits and the separators `cardNumberSpans` joins digit groups with: what a card number is made of. */
export const isCardChar = (code: number): boolean =>
  (code >= 48 && code <= 57) || code === 32 || code === 45 || code === 46;

/**
 * A short, printable excerpt around a span with every card number in it masked. Digits of a run that the
 * excerpt's edge cuts are hidden too: a cut-off card number no longer looks like one, so masking would miss it.
 * @example maskedExcerpt('paid 4111111111111111 ok', { start: 5, end: 21 }) // 'paid ************1111 ok'
 */
export function maskedExcerpt(text: string, span: CardSpan): string {
  const start = Math.max(0, span.start - CONTEXT);
  const end = Math.min(text.length, span.end + CONTEXT);
  let excerpt = maskCardNumbers(text.slice(start, end));
  if (start > 0 && isCardChar(text.charCodeAt(start - 1))) excerpt = hideLeadingDigits(excerpt);
  if (end < text.length && isCardChar(text.charCodeAt(end)))
    excerpt = [...hideLeadingDigits([...excerpt].reverse().join(''))].reverse().join('');
  // Control characters (line breaks, NULs of UTF-16 read as bytes) would break the one-line report.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
  return excerpt.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

function hideLeadingDigits(text: string): string {
  let index = 0;
  while (index < text.length && isCardChar(text.charCodeAt(index))) index += 1;
  return text.slice(0, index).replace(/[0-9]/g, '*') + text.slice(index);
}
