import { createHash } from 'node:crypto';
import type { DeclaredEncoding } from '../../../config/partners.ts';

/** One byte range of a file, cut right after a record's line feed, validated by one unit. */
export interface ChunkRange {
  readonly index: number;
  /** First byte (0-based, inclusive). */
  readonly start: number;
  /** Byte after the last (exclusive). */
  readonly end: number;
  /** Physical line the chunk starts on (the header is line 1). */
  readonly firstLine: number;
}

export interface ChunkPlan {
  /** SHA-256 of every byte read, to hold against the digest landing registered. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly chunks: readonly ChunkRange[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Encodings whose quote and line feed are single bytes no other character contains: UTF-8 (no multi-byte sequence
 * holds a byte below 0x80) and the single-byte tables. UTF-16 files are validated whole.
 */
export const canValidateInChunks = (encoding: DeclaredEncoding): boolean =>
  encoding !== 'utf-16le' && encoding !== 'utf-16be';

/**
 * Cut a file into chunks of about `targetBytes`, each ending right after a line feed that ends a record: one
 * outside any quoted field. In RFC 4180 every quote toggles the in-quotes state (a doubled quote toggles twice),
 * so a byte scan finds the same record ends as the parser, up to the first malformed quote (the chunk holding it
 * rejects the file). Line numbers count every line feed, quoted ones included, as the parser does. A trailing
 * chunk of blank lines is merged into the one before, so the last chunk holds the file's last record (the trailer
 * candidate). One sequential pass: bytes are hashed as they are scanned.
 * @example const plan = await planChunks(body, 256 * 1024 ** 2) // plan.chunks[1].start === plan.chunks[0].end
 */
export async function planChunks(body: AsyncIterable<Uint8Array>, targetBytes: number): Promise<ChunkPlan> {
  if (!(targetBytes >= 1)) throw new Error(`A chunk target of ${targetBytes} bytes cannot cut a file.`);
  const hash = createHash('sha256');
  const chunks: (ChunkRange & { content: boolean })[] = [];
  let offset = 0;
  let inQuotes = false;
  let lineFeeds = 0;
  let lineStart = 0;
  let lineContent = false;
  let previousByte = -1;
  let chunk = { start: 0, firstLine: 1, content: false };
  for await (const bytes of body) {
    hash.update(bytes);
    let position = 0;
    let nextQuote = bytes.indexOf(QUOTE);
    while (position < bytes.length) {
      if (nextQuote !== -1 && nextQuote < position) nextQuote = bytes.indexOf(QUOTE, position);
      if (inQuotes) {
        // Inside a quoted field: count its line feeds, find the closing quote.
        const stop = nextQuote === -1 ? bytes.length : nextQuote;
        for (let lf = bytes.indexOf(LF, position); lf !== -1 && lf < stop; lf = bytes.indexOf(LF, lf + 1))
          lineFeeds += 1;
        position = stop === bytes.length ? stop : stop + 1;
        if (stop !== bytes.length) inQuotes = false;
        continue;
      }
      const lf = bytes.indexOf(LF, position);
      if (nextQuote !== -1 && (lf === -1 || nextQuote < lf)) {
        inQuotes = true;
        lineContent = true;
        position = nextQuote + 1;
        continue;
      }
      if (lf === -1) {
        if (bytes.length > position) lineContent = true;
        position = bytes.length;
        continue;
      }
      // A record's (or a blank line's) end: has the line more than an optional CR?
      const before = lf > 0 ? (bytes[lf - 1] as number) : previousByte;
      const length = offset + lf - lineStart;
      if (length > 1 || (length === 1 && before !== CR)) lineContent = true;
      chunk.content ||= lineContent;
      lineFeeds += 1;
      lineStart = offset + lf + 1;
      lineContent = false;
      position = lf + 1;
      if (lineStart - chunk.start >= targetBytes) {
        chunks.push({ index: chunks.length, end: lineStart, ...chunk });
        chunk = { start: lineStart, firstLine: lineFeeds + 1, content: false };
      }
    }
    if (bytes.length > 0) previousByte = bytes[bytes.length - 1] as number;
    offset += bytes.length;
  }
  if (offset > chunk.start || chunks.length === 0) {
    chunk.content ||= lineContent;
    chunks.push({ index: chunks.length, end: offset, ...chunk });
  }
  return { sha256: hash.digest('hex'), sizeBytes: offset, chunks: withoutBlankTail(chunks) };
}

/** Merge trailing chunks that hold no record (blank lines only) into the chunk before them. */
function withoutBlankTail(chunks: readonly (ChunkRange & { content: boolean })[]): ChunkRange[] {
  const kept = chunks.map(({ content: _, ...range }) => range);
  let last = chunks.length - 1;
  while (last > 0 && !chunks[last]?.content) last -= 1;
  if (last === chunks.length - 1) return kept;
  const end = kept[kept.length - 1]?.end ?? 0;
  return [...kept.slice(0, last), { ...(kept[last] as ChunkRange), end }];
}
