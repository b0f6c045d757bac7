import { gunzipSync } from 'node:zlib';
import type { ContentHit } from './findings.ts';
import { scanParquet } from './parquet-scan.ts';
import { isCardChar, scanTextChunks, type TextHit } from './text-scan.ts';

/** What the content scan found, and anything it could not read as its format claims. */
export interface ContentScan {
  readonly hits: ContentHit[];
  readonly notes: string[];
}

/** Pieces a large text is scanned in, so no object is held as one string. */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Largest decompressed size of a gzip object pan-scan unpacks in memory. */
const MAX_GUNZIP_BYTES = 1024 * 1024 * 1024;
/** Bytes looked at to recognise UTF-16 without a BOM. */
const UTF16_SNIFF_BYTES = 4096;

/**
 * Card numbers in stored bytes, whatever they hold:
 * 1. Parquet (`PAR1` at both ends): every string, binary and integer value and the footer, decoded (`scanParquet`).
 * 2. Everything else as bytes, one character per byte. This is the UTF-8 reading: digits and the separators a
 *    card number is made of are ASCII, and no byte of a multi-byte UTF-8 character is ASCII, so UTF-8 text, a
 *    partner's windows-1252 file and a binary all give exactly the card numbers their text holds.
 * 3. Also as UTF-16 when the bytes start with a UTF-16 BOM or show its NUL-byte pattern (digits are NUL-padded
 *    there, so the byte reading cannot see them).
 * 4. Gzip (`1f 8b`): also its decompressed content, read the same way (a compressed digit is not a digit).
 * @example await scanContent(new TextEncoder().encode('id,pan\n1,4111111111111111')) // hits: [{ where: 'line 2, column 3', … }]
 */
export async function scanContent(bytes: Uint8Array): Promise<ContentScan> {
  if (isParquet(bytes)) {
    try {
      return { hits: await scanParquet(bytes), notes: [] };
    } catch (error) {
      const scan = scanBytes(bytes);
      return { hits: scan.hits, notes: [`not decodable as Parquet (${String(error)}); scanned as bytes`] };
    }
  }
  const hits = byteHits(bytes);
  const notes: string[] = [];
  const utf16 = utf16Encoding(bytes);
  if (utf16) hits.push(...utf16Hits(bytes, utf16));
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const inner = await scanContent(gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES }));
      hits.push(...inner.hits.map((hit) => ({ ...hit, where: `gunzipped, ${hit.where}` })));
      notes.push(...inner.notes.map((note) => `gunzipped: ${note}`));
    } catch (error) {
      notes.push(`gzip content not decompressed (${String(error)}); scanned as bytes only`);
    }
  }
  return { hits, notes };
}

/** Bytes read one character per byte (the UTF-8 reading), with line and byte column. */
export function scanBytes(bytes: Uint8Array): ContentScan {
  return { hits: byteHits(bytes), notes: [] };
}

function byteHits(bytes: Uint8Array): ContentHit[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return scanTextChunks(byteChunks(buffer)).map((hit) => ({
    where: `line ${hit.line}, column ${hit.column}`,
    line: hit.line,
    // The excerpt's bytes back as UTF-8, so accented text around the finding stays readable.
    excerpt: Buffer.from(hit.excerpt, 'latin1').toString('utf8'),
  }));
}

function utf16Hits(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): ContentHit[] {
  const label = encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
  return scanTextChunks(utf16Chunks(bytes, encoding)).map((hit: TextHit) => ({
    where: `${label} line ${hit.line}, column ${hit.column}`,
    excerpt: hit.excerpt,
    line: hit.line,
  }));
}

function isParquet(bytes: Uint8Array): boolean {
  const magic = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
  if (bytes.length < 12) return false;
  return magic.every((byte, index) => bytes[index] === byte && bytes[bytes.length - 4 + index] === byte);
}

/**
 * UTF-16 by its BOM, or by its NUL pattern: ASCII text in UTF-16LE has a NUL in (nearly) every odd byte and
 * none in the even ones (BE the other way round). A third of the code units is enough to call it UTF-16.
 */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const units = Math.floor(Math.min(bytes.length, UTF16_SNIFF_BYTES) / 2);
  if (units < 2) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let unit = 0; unit < units; unit += 1) {
    if (bytes[2 * unit] === 0) evenNuls += 1;
    if (bytes[2 * unit + 1] === 0) oddNuls += 1;
  }
  if (oddNuls * 3 >= units && evenNuls * 4 <= oddNuls) return 'utf-16le';
  if (evenNuls * 3 >= units && oddNuls * 4 <= evenNuls) return 'utf-16be';
  return undefined;
}

/**
 * Cut after a byte that is neither a digit nor a separator: no card number crosses such a byte, so each piece
 * gives exactly the card numbers the whole would. A piece that is all digits and separators is cut at its size.
 */
function* byteChunks(buffer: Buffer): Generator<string> {
  let start = 0;
  while (start < buffer.length) {
    let end = Math.min(buffer.length, start + CHUNK_BYTES);
    if (end < buffer.length) {
      let cut = end;
      while (cut > start && isCardChar(buffer[cut - 1] as number)) cut -= 1;
      if (cut > start) end = cut;
    }
    yield buffer.toString('latin1', start, end);
    start = end;
  }
}

/** As `byteChunks`, on whole UTF-16 code units, never between the halves of a surrogate pair. */
function* utf16Chunks(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Generator<string> {
  const decoder = new TextDecoder(encoding);
  const unitAt = (index: number) =>
    encoding === 'utf-16le'
      ? (bytes[2 * index] as number) | ((bytes[2 * index + 1] as number) << 8)
      : ((bytes[2 * index] as number) << 8) | (bytes[2 * index + 1] as number);
  const units = Math.floor(bytes.length / 2);
  let start = 0;
  while (start < units) {
    let end = Math.min(units, start + CHUNK_BYTES / 2);
    if (end < units) {
      let cut = end;
      const unsafe = (unit: number) => isCardChar(unit) || (unit >= 0xd800 && unit <= 0xdbff);
      while (cut > start && unsafe(unitAt(cut - 1))) cut -= 1;
      if (cut > start) end = cut;
    }
    yield decoder.decode(bytes.subarray(2 * start, 2 * end));
    start = end;
  }
}
