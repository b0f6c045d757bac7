import { FileRejectionError } from '../errors.ts';

/** Encodings a partner may declare (config/partners.ts). */
export type PartnerEncoding = 'utf-8' | 'windows-1252';

/**
 * Decode a byte stream into text chunks with `TextDecoder(encoding, { fatal: true })` in streaming mode:
 * invalid bytes reject the file with ENCODING_INVALID and the byte offset of the first bad sequence,
 * never a silent U+FFFD. A UTF-8 byte order mark is stripped by the decoder (`ignoreBOM: false`, the default),
 * once, even when split across chunks; a second one stays and fails the header check.
 * @see https://encoding.spec.whatwg.org/#interface-textdecoder
 * @example for await (const text of decodeStream(body, 'utf-8')) parser.push(text, out)
 */
export async function* decodeStream(
  body: AsyncIterable<Uint8Array>,
  encoding: PartnerEncoding,
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  let previous: Uint8Array = new Uint8Array(0);
  for await (const bytes of body) {
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch (error) {
      throw encodingError(encoding, locateInvalidByte(encoding, previous, bytes, offset), error);
    }
    offset += bytes.byteLength;
    previous = bytes;
    if (text.length > 0) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch (error) {
    // Only an incomplete multi-byte sequence can fail here: it starts in the last bytes of the stream.
    throw encodingError(encoding, offset - utf8IncompleteTailLength(previous), error);
  }
  if (rest.length > 0) yield rest;
}

function encodingError(encoding: string, byteOffset: number, cause: unknown): FileRejectionError {
  return new FileRejectionError(
    'ENCODING_INVALID',
    `The file is not valid ${encoding} at byte ${byteOffset}. Ask the partner to resend it in ${encoding}, the encoding agreed for them.`,
    { byteOffset },
    { cause },
  );
}

/**
 * Byte offset of the first invalid sequence: exact for UTF-8 (the incomplete tail of the previous chunk is
 * prepended so a sequence split across chunks is judged whole), the failing chunk's start otherwise.
 */
function locateInvalidByte(
  encoding: PartnerEncoding,
  previous: Uint8Array,
  bytes: Uint8Array,
  chunkOffset: number,
): number {
  if (encoding !== 'utf-8') return chunkOffset;
  const carried = utf8IncompleteTailLength(previous);
  const joined = new Uint8Array(carried + bytes.byteLength);
  joined.set(previous.subarray(previous.byteLength - carried), 0);
  joined.set(bytes, carried);
  const index = firstInvalidUtf8Index(joined);
  return index === -1 ? chunkOffset : chunkOffset - carried + index;
}

/** Bytes at the end of a valid UTF-8 prefix that start a sequence not yet complete (0-3). */
export function utf8IncompleteTailLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.byteLength); back += 1) {
    const byte = bytes[bytes.byteLength - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

/**
 * Index of the first byte that starts an invalid UTF-8 sequence (overlong, surrogate, out of range, stray
 * continuation), or -1. A sequence cut off by the end of the buffer is not invalid here.
 * @example firstInvalidUtf8Index(new Uint8Array([0x61, 0xe9, 0x62])) // 1 (Latin-1 'é')
 */
export function firstInvalidUtf8Index(bytes: Uint8Array): number {
  let index = 0;
  const length = bytes.byteLength;
  while (index < length) {
    const lead = bytes[index] as number;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    let needed: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) needed = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return index;
    for (let k = 1; k <= needed; k += 1) {
      if (index + k >= length) return -1;
      const byte = bytes[index + k] as number;
      const min = k === 1 ? low : 0x80;
      const max = k === 1 ? high : 0xbf;
      if (byte < min || byte > max) return index;
    }
    index += needed + 1;
  }
  return -1;
}
