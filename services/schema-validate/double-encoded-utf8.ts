import type { DeclaredEncoding } from '../../config/partners.ts';
import { byteTable, type SingleByteEncoding, UNDEFINED_BYTE } from './csv/single-byte-tables.ts';

/** Finds text that is UTF-8 bytes read as a single-byte encoding ("Ã©" for "é", "â‚¬" for "€"). */
export interface DoubleEncodingCheck {
  /** Whether the text holds a run of characters whose bytes, in the misread encoding, are one UTF-8 character. */
  test(text: string): boolean;
  /** What the quarantine reason says happened. */
  readonly reason: string;
}

/**
 * Code pages whose 0x80-0xBF bytes are mostly symbols, so a letter from 0xC2-0xF4 followed by them is rare in
 * genuine text. In Cyrillic, Greek, Arabic, Hebrew, Thai or the Central and Northern European parts, ordinary
 * words form valid UTF-8 byte pairs ("ТА" in ISO-8859-5 is C2 B0, "ÓŁ" in ISO-8859-2 is D3 A3): no check there.
 */
const LATIN_1_FAMILY: readonly SingleByteEncoding[] = ['windows-1252', 'iso-8859-1', 'iso-8859-15'];

const NOT_A_BYTE = -1;
const reverseTables = new Map<string, Int16Array>();

/** Character (UTF-16 code unit) → byte of a single-byte encoding, NOT_A_BYTE for characters it cannot write. */
function reverseTable(encodings: readonly SingleByteEncoding[]): Int16Array {
  const key = encodings.join('+');
  const cached = reverseTables.get(key);
  if (cached) return cached;
  const reverse = new Int16Array(0x10000).fill(NOT_A_BYTE);
  for (const encoding of encodings) {
    const table = byteTable(encoding);
    for (let byte = 0; byte < 256; byte += 1) {
      const unit = table[byte] as number;
      if (unit !== UNDEFINED_BYTE && reverse[unit] === NOT_A_BYTE) reverse[unit] = byte;
    }
  }
  // ISO-8859-1 proper: U+0080-U+009F are bytes 0x80-0x9F (where windows-1252 has € and curly quotes).
  if (encodings.includes('iso-8859-1')) for (let unit = 0x80; unit <= 0x9f; unit += 1) reverse[unit] = unit;
  reverseTables.set(key, reverse);
  return reverse;
}

/** Allowed range of the first continuation byte after a UTF-8 lead (no overlongs, surrogates or > U+10FFFF). */
function secondByteRange(lead: number): readonly [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

function looksDoubleEncoded(text: string, byteOf: Int16Array): boolean {
  const last = text.length - 1;
  for (let index = 0; index < last; index += 1) {
    const lead = byteOf[text.charCodeAt(index)] as number;
    if (lead < 0xc2 || lead > 0xf4) continue;
    const continuations = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
    if (index + continuations > last) continue;
    const [low, high] = secondByteRange(lead);
    const second = byteOf[text.charCodeAt(index + 1)] as number;
    if (second < low || second > high) continue;
    let whole = true;
    for (let next = 2; next <= continuations && whole; next += 1) {
      const byte = byteOf[text.charCodeAt(index + next)] as number;
      whole = byte >= 0x80 && byte <= 0xbf;
    }
    if (whole) return true;
  }
  return false;
}

/**
 * The double-encoding check for a partner's declared encoding, or null where it would flag genuine text.
 * A single-byte partner's text is read back through its own code page (a UTF-8 file sent as windows-1252);
 * a UTF-8 or UTF-16 partner's through windows-1252 and ISO-8859-1, where their system misread UTF-8 upstream.
 * Only a lead character followed by the right number of continuation characters counts, so a lone "é", "€" or
 * "Ã" never does; an accented capital directly followed by a typographic symbol ("É–") does, and is quarantined
 * for review like any other suspect value.
 * @example doubleEncodingCheck('windows-1252')?.test('cafÃ©') // true
 */
export function doubleEncodingCheck(declared: DeclaredEncoding): DoubleEncodingCheck | null {
  if (declared === 'utf-8' || declared === 'utf-16le' || declared === 'utf-16be') {
    const byteOf = reverseTable(['windows-1252', 'iso-8859-1']);
    return {
      test: (text) => looksDoubleEncoded(text, byteOf),
      reason:
        'looks like double-encoded UTF-8 (UTF-8 bytes read as windows-1252 or ISO-8859-1 before the file was written)',
    };
  }
  if (!LATIN_1_FAMILY.includes(declared)) return null;
  const byteOf = reverseTable([declared]);
  return {
    test: (text) => looksDoubleEncoded(text, byteOf),
    reason: `looks like double-encoded UTF-8 (UTF-8 bytes read as ${declared}: the partner may have sent UTF-8)`,
  };
}
