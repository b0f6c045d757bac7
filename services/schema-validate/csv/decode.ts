import type { DeclaredEncoding } from '../../../config/partners.ts';
import { FileRejectionError } from '../errors.ts';
import { byteTable, type SingleByteEncoding, UNDEFINED_BYTE } from './single-byte-tables.ts';
import { firstInvalidUtf8Index, utf8IncompleteTailLength } from './utf8-offsets.ts';

type UnicodeEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Decode a byte stream in the partner's declared encoding into text chunks, one chunk at a time (memory bounded
 * by the chunk size). The first invalid byte rejects the file with ENCODING_INVALID and its byte offset, never
 * a silent U+FFFD; where the chunks are split never changes the text or the offset.
 * - UTF-8 and UTF-16: `TextDecoder(encoding, { fatal: true })` in streaming mode (native speed, the hot path).
 *   A byte order mark of the declared encoding is stripped once, even split across chunks; a second one stays
 *   (and fails the header check or the row's hidden-character check).
 * - Single-byte encodings: finledger's own tables (single-byte-tables.ts), since WHATWG's TextDecoder reads
 *   iso-8859-1 as windows-1252 and decodes the bytes windows-1252 leaves undefined as C1 controls.
 * @see https://encoding.spec.whatwg.org/#interface-textdecoder
 * @example for await (const text of decodeStream(body, 'utf-8')) parser.push(text, out)
 */
export async function* decodeStream(
  body: AsyncIterable<Uint8Array>,
  encoding: DeclaredEncoding,
  from: DecodeFrom = FILE_START,
): AsyncGenerator<string> {
  if (encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be')
    yield* decodeUnicode(body, encoding, from);
  else yield* decodeSingleByte(body, encoding, from);
}

/**
 * Where the bytes start in the file: a chunk of a file validated in chunks starts mid-file, so its error offsets
 * are counted from the file's first byte and a U+FEFF at its start is text, not a byte order mark.
 */
export interface DecodeFrom {
  readonly byteOffset: number;
}

const FILE_START: DecodeFrom = { byteOffset: 0 };

/** How to find the byte that made a Unicode decoder fail, given what it may still hold from earlier chunks. */
interface ErrorLocator {
  /** Bytes at the end of the stream so far (`tail`, ≤ 3 bytes) the decoder holds back, given the offset. */
  pendingLength(tail: Uint8Array, offset: number): number;
  /** Index of the first invalid unit in bytes that start at a character boundary, or -1. */
  firstInvalid(bytes: Uint8Array): number;
  /** What is wrong at that index, when the encoding has only one way to be wrong. */
  readonly invalidDetail?: string;
  /** Why the stream cannot end here: the offset of the cut character and what is wrong. */
  atEnd(tail: Uint8Array, offset: number): { byteOffset: number; detail: string };
}

const UTF8: ErrorLocator = {
  pendingLength: (tail) => utf8IncompleteTailLength(tail),
  firstInvalid: firstInvalidUtf8Index,
  atEnd: (tail, offset) => ({
    byteOffset: offset - utf8IncompleteTailLength(tail),
    detail: 'the file ends inside a multi-byte character',
  }),
};

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

function utf16Locator(littleEndian: boolean): ErrorLocator {
  const unitAt = (bytes: Uint8Array, index: number) =>
    littleEndian
      ? (bytes[index] as number) | ((bytes[index + 1] as number) << 8)
      : ((bytes[index] as number) << 8) | (bytes[index + 1] as number);
  // A high surrogate just before the odd byte (if any) is held until its low surrogate arrives.
  const pendingLength = (tail: Uint8Array, offset: number) => {
    const odd = offset % 2;
    const unitStart = tail.byteLength - odd - 2;
    return unitStart >= 0 && isHighSurrogate(unitAt(tail, unitStart)) ? odd + 2 : odd;
  };
  return {
    pendingLength,
    invalidDetail: 'an unpaired surrogate',
    firstInvalid(bytes) {
      for (let index = 0; index + 1 < bytes.byteLength; index += 2) {
        const unit = unitAt(bytes, index);
        if (isLowSurrogate(unit)) return index;
        if (!isHighSurrogate(unit)) continue;
        if (index + 3 >= bytes.byteLength) return -1;
        if (!isLowSurrogate(unitAt(bytes, index + 2))) return index;
        index += 2;
      }
      return -1;
    },
    atEnd(tail, offset) {
      const pending = pendingLength(tail, offset);
      return pending >= 2
        ? { byteOffset: offset - pending, detail: 'an unpaired surrogate ends the file' }
        : { byteOffset: offset - 1, detail: 'an odd number of bytes: the last character is cut in half' };
    },
  };
}

const LOCATORS: Readonly<Record<UnicodeEncoding, ErrorLocator>> = {
  'utf-8': UTF8,
  'utf-16le': utf16Locator(true),
  'utf-16be': utf16Locator(false),
};

async function* decodeUnicode(
  body: AsyncIterable<Uint8Array>,
  encoding: UnicodeEncoding,
  from: DecodeFrom,
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: from.byteOffset > 0 });
  const locator = LOCATORS[encoding];
  let offset = from.byteOffset;
  let tail: Uint8Array = new Uint8Array(0);
  for await (const bytes of body) {
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch (error) {
      // Judge the bytes the decoder still held together with this chunk, from a character boundary.
      const pending = locator.pendingLength(tail, offset);
      const joined = new Uint8Array(pending + bytes.byteLength);
      joined.set(tail.subarray(tail.byteLength - pending), 0);
      joined.set(bytes, pending);
      const index = locator.firstInvalid(joined);
      throw encodingError(encoding, offset - pending + Math.max(index, 0), locator.invalidDetail, error);
    }
    offset += bytes.byteLength;
    tail = lastBytes(tail, bytes);
    if (text.length > 0) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch (error) {
    const { byteOffset, detail } = locator.atEnd(tail, offset);
    throw encodingError(encoding, byteOffset, detail, error);
  }
  if (rest.length > 0) yield rest;
}

/** The last three bytes of the stream so far: enough for any character a decoder may still hold. */
function lastBytes(tail: Uint8Array, bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength >= 3) return bytes.slice(bytes.byteLength - 3);
  const joined = new Uint8Array(tail.byteLength + bytes.byteLength);
  joined.set(tail, 0);
  joined.set(bytes, tail.byteLength);
  return joined.slice(Math.max(0, joined.byteLength - 3));
}

// Single-byte text is built as UTF-16 code units and decoded natively; no table maps to a surrogate or U+FEFF.
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const utf16le = new TextDecoder('utf-16le', { ignoreBOM: true });

function unitsToText(units: Uint16Array): string {
  if (LITTLE_ENDIAN) return utf16le.decode(units);
  let text = '';
  for (let start = 0; start < units.length; start += 8192)
    text += String.fromCharCode(...units.subarray(start, start + 8192));
  return text;
}

async function* decodeSingleByte(
  body: AsyncIterable<Uint8Array>,
  encoding: SingleByteEncoding,
  from: DecodeFrom,
): AsyncGenerator<string> {
  const table = byteTable(encoding);
  let offset = from.byteOffset;
  for await (const bytes of body) {
    const units = new Uint16Array(bytes.byteLength);
    for (let index = 0; index < bytes.byteLength; index += 1) {
      const unit = table[bytes[index] as number] as number;
      if (unit === UNDEFINED_BYTE) throw undefinedByte(encoding, bytes[index] as number, offset + index);
      units[index] = unit;
    }
    offset += bytes.byteLength;
    if (units.length > 0) yield unitsToText(units);
  }
}

function undefinedByte(encoding: SingleByteEncoding, byte: number, byteOffset: number): FileRejectionError {
  const hex = `0x${byte.toString(16).toUpperCase()}`;
  const detail =
    byte >= 0x80 && byte <= 0x9f && encoding !== 'windows-1252'
      ? `byte ${hex} is a C1 control code in ${encoding}, never text: the file is probably in a windows-125x code page or UTF-8`
      : `byte ${hex} has no character in ${encoding}`;
  return encodingError(encoding, byteOffset, detail);
}

function encodingError(
  encoding: DeclaredEncoding,
  byteOffset: number,
  detail?: string,
  cause?: unknown,
): FileRejectionError {
  return new FileRejectionError(
    'ENCODING_INVALID',
    `The file is not valid ${encoding} at byte ${byteOffset}${detail ? ` (${detail})` : ''}. ` +
      `Ask the partner to resend it in ${encoding}, the encoding agreed for them (or correct config/partners.ts if the agreement changed).`,
    { byteOffset },
    cause === undefined ? undefined : { cause },
  );
}
