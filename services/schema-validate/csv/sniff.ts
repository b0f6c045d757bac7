import type { DeclaredEncoding } from '../../../config/partners.ts';
import { FileRejectionError } from '../errors.ts';

/** Bytes looked at before anything is decoded: every signature below, and 8 UTF-16 units of the header. */
export const SNIFF_BYTES = 16;

type Pattern = readonly (number | null)[];
const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));

/** Byte order marks, UTF-32 before UTF-16 (FF FE 00 00 starts with FF FE). */
const BYTE_ORDER_MARKS: readonly { readonly bytes: Pattern; readonly encoding: string }[] = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32LE' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32BE' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'UTF-8' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16LE' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16BE' },
];

const UNPACK =
  'Ask the partner to send the CSV file itself, uncompressed: finledger does not unpack deliveries.';
const EXPORT = 'Ask the partner for the CSV export the contract describes, not a spreadsheet or a document.';

/** Magic numbers of files that are not text at all (`null` matches any byte). */
const BINARY_SIGNATURES: readonly {
  readonly bytes: Pattern;
  readonly what: string;
  readonly next: string;
}[] = [
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file', next: UNPACK },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: 'a ZIP archive (a .zip, or an Excel .xlsx workbook, which is one)',
    next: 'Ask the partner for the plain CSV file, neither zipped nor saved as an Excel workbook.',
  },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty ZIP archive', next: UNPACK },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: 'an OLE2 document (a legacy Excel .xls workbook)',
    next: EXPORT,
  },
  { bytes: ascii('%PDF-'), what: 'a PDF document', next: EXPORT },
  {
    bytes: [...ascii('BZh'), null, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
    what: 'a bzip2-compressed file',
    next: UNPACK,
  },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive', next: UNPACK },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz-compressed file', next: UNPACK },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'a Zstandard-compressed file', next: UNPACK },
  { bytes: [...ascii('Rar!'), 0x1a, 0x07], what: 'a RAR archive', next: UNPACK },
];

const startsWith = (head: Uint8Array, pattern: Pattern): boolean =>
  head.byteLength >= pattern.length && pattern.every((byte, index) => byte === null || head[index] === byte);

/**
 * What the zero bytes of the first bytes say. A header is ASCII column names, so UTF-16 text of it has a zero
 * in every other byte and UTF-32 three in every four; an 8-bit or UTF-8 header has none.
 */
type Layout = 'no-zeros' | 'UTF-16LE' | 'UTF-16BE' | 'UTF-32LE' | 'UTF-32BE' | 'binary' | 'too-short';

function zeroByteLayout(head: Uint8Array): Layout {
  const length = Math.min(head.byteLength, SNIFF_BYTES);
  if (!head.subarray(0, length).includes(0)) return length >= 4 ? 'no-zeros' : 'too-short';
  if (length < 8) return 'too-short';
  // Every complete unit of `size` bytes has zeros exactly at `zeros` (and only there).
  const every = (size: number, zeros: readonly number[]) => {
    for (let unit = 0; unit + size <= length; unit += size)
      for (let index = 0; index < size; index += 1)
        if ((head[unit + index] === 0) !== zeros.includes(index)) return false;
    return true;
  };
  if (every(4, [1, 2, 3])) return 'UTF-32LE';
  if (every(4, [0, 1, 2])) return 'UTF-32BE';
  if (every(2, [1])) return 'UTF-16LE';
  if (every(2, [0])) return 'UTF-16BE';
  return 'binary';
}

function mismatch(evidence: string, detected: string, declared: DeclaredEncoding): FileRejectionError {
  const next = detected.startsWith('UTF-32')
    ? `Ask the partner to resend it in ${declared}: finledger does not read UTF-32.`
    : `Ask the partner to resend it in ${declared}; if they now send ${detected} by agreement, change their encoding in config/partners.ts (a reviewed change).`;
  return new FileRejectionError(
    'ENCODING_MISMATCH',
    `The file ${evidence}, but the partner declared ${declared}. ${next}`,
    { byteOffset: 0 },
  );
}

function binary(what: string, next: string): FileRejectionError {
  return new FileRejectionError('COMPRESSED_OR_BINARY_FILE', `The file is ${what}, not CSV text. ${next}`, {
    byteOffset: 0,
  });
}

/**
 * Name the real cause of a file that cannot be the declared encoding's text, from its first bytes, before
 * decoding would blame a byte offset: a byte order mark of another encoding (ENCODING_MISMATCH), a compressed or
 * binary format (COMPRESSED_OR_BINARY_FILE), UTF-16/32 without a byte order mark, or the reverse (a UTF-16
 * partner's file with no zero bytes). Null when the start is consistent with the declared encoding.
 * @example sniffFileStart(Uint8Array.of(0x1f, 0x8b, 8, 0), 'utf-8')?.code // 'COMPRESSED_OR_BINARY_FILE'
 */
export function sniffFileStart(head: Uint8Array, declared: DeclaredEncoding): FileRejectionError | null {
  const bom = BYTE_ORDER_MARKS.find((mark) => startsWith(head, mark.bytes));
  if (bom) {
    return bom.encoding.toLowerCase() === declared
      ? null
      : mismatch(`starts with a ${bom.encoding} byte order mark`, bom.encoding, declared);
  }
  const signature = BINARY_SIGNATURES.find((candidate) => startsWith(head, candidate.bytes));
  if (signature) return binary(signature.what, signature.next);
  const layout = zeroByteLayout(head);
  const expected = declared === 'utf-16le' || declared === 'utf-16be' ? declared.toUpperCase() : 'no-zeros';
  if (layout === 'too-short' || layout === expected) return null;
  if (layout === 'binary') {
    return binary(
      'binary or corrupt: its first bytes hold zero bytes in no text layout',
      'Ask the partner to check the file and resend the CSV.',
    );
  }
  if (layout === 'no-zeros') {
    return mismatch(
      'has no zero bytes where UTF-16 text would: it looks like an 8-bit or UTF-8 file',
      'an 8-bit or UTF-8 encoding',
      declared,
    );
  }
  return mismatch(
    `looks like ${layout} without a byte order mark (zero bytes in a ${layout} pattern)`,
    layout,
    declared,
  );
}

/**
 * Pass a byte stream through unchanged once its first SNIFF_BYTES bytes (or all of a shorter file) are found
 * consistent with the declared encoding by `sniffFileStart`; throw its rejection otherwise, before any byte is
 * decoded. Holds at most the chunks that make up those first bytes.
 * @example decodeStream(checkFileStart(body, 'utf-8'), 'utf-8')
 */
export async function* checkFileStart(
  body: AsyncIterable<Uint8Array>,
  declared: DeclaredEncoding,
): AsyncGenerator<Uint8Array> {
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  const check = () => {
    const head = new Uint8Array(Math.min(heldBytes, SNIFF_BYTES));
    let offset = 0;
    for (const bytes of held) {
      if (offset >= head.byteLength) break;
      head.set(bytes.subarray(0, head.byteLength - offset), offset);
      offset += bytes.byteLength;
    }
    const rejection = sniffFileStart(head, declared);
    if (rejection) throw rejection;
  };
  let checked = false;
  for await (const bytes of body) {
    if (checked) {
      yield bytes;
      continue;
    }
    held.push(bytes);
    heldBytes += bytes.byteLength;
    if (heldBytes < SNIFF_BYTES) continue;
    check();
    checked = true;
    yield* held;
    held.length = 0;
  }
  if (!checked) {
    check();
    yield* held;
  }
}
