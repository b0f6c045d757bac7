import type { DeclaredEncoding } from '../../config/partners.ts';

/** windows-1252 bytes 0x80-0x9F and the characters they stand for (the rest of 0xA0-0xFF is Latin-1). */
const CP1252_HIGH: Readonly<Record<number, number>> = {
  8364: 0x80,
  8218: 0x82,
  402: 0x83,
  8222: 0x84,
  8230: 0x85,
  8224: 0x86,
  8225: 0x87,
  710: 0x88,
  8240: 0x89,
  352: 0x8a,
  8249: 0x8b,
  338: 0x8c,
  381: 0x8e,
  8216: 0x91,
  8217: 0x92,
  8220: 0x93,
  8221: 0x94,
  8226: 0x95,
  8211: 0x96,
  8212: 0x97,
  732: 0x98,
  8482: 0x99,
  353: 0x9a,
  8250: 0x9b,
  339: 0x9c,
  382: 0x9e,
  376: 0x9f,
};

/**
 * Encode text as windows-1252; throws on a character the code page cannot hold (never substitutes).
 * @example encodeWindows1252('€5') // Uint8Array [0x80, 0x35]
 */
export function encodeWindows1252(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  let length = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    const byte = code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : CP1252_HIGH[code];
    if (byte === undefined)
      throw new Error(`U+${code.toString(16).toUpperCase().padStart(4, '0')} is not in windows-1252`);
    bytes[length++] = byte;
  }
  return bytes.subarray(0, length);
}

/**
 * ISO-8859-1 bytes of text: what a partner's Latin-1 system writes (invalid UTF-8 for any character ≥ U+0080).
 * @example latin1Bytes('café') // [0x63, 0x61, 0x66, 0xe9]
 */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code > 0xff) throw new Error(`U+${code.toString(16).toUpperCase()} is not in Latin-1`);
    bytes[index] = code;
  }
  return bytes;
}

/** Bytes of a partner file in the partner's declared encoding (the sample partners use UTF-8 or windows-1252). */
export function encodeFor(encoding: DeclaredEncoding, text: string): Uint8Array {
  if (encoding === 'windows-1252') return encodeWindows1252(text);
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  throw new Error(`Sample data does not encode ${encoding}`);
}
