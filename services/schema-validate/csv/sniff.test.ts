import { describe, expect, it } from 'vitest';
import type { DeclaredEncoding } from '../../../config/partners.ts';
import { FileRejectionError } from '../errors.ts';
import { checkFileStart, SNIFF_BYTES, sniffFileStart } from './sniff.ts';

const HEADER = 'transaction_id,type,amount\n';
const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));
const utf16 = (text: string, littleEndian: boolean) =>
  ascii(text).flatMap((unit) => (littleEndian ? [unit, 0] : [0, unit]));
const utf32 = (text: string, littleEndian: boolean) =>
  ascii(text).flatMap((unit) => (littleEndian ? [unit, 0, 0, 0] : [0, 0, 0, unit]));

describe('sniffFileStart', () => {
  it.each([
    ['a plain UTF-8 header', ascii(HEADER), 'utf-8'],
    ['a UTF-8 byte order mark for a UTF-8 partner', [0xef, 0xbb, 0xbf, ...ascii(HEADER)], 'utf-8'],
    ['a plain header for a windows-1252 partner', ascii(HEADER), 'windows-1252'],
    ['a plain header for an ISO-8859-2 partner', ascii(HEADER), 'iso-8859-2'],
    ['UTF-16LE with its byte order mark', [0xff, 0xfe, ...utf16(HEADER, true)], 'utf-16le'],
    ['UTF-16BE with its byte order mark', [0xfe, 0xff, ...utf16(HEADER, false)], 'utf-16be'],
    ['UTF-16LE without a byte order mark', utf16(HEADER, true), 'utf-16le'],
    ['UTF-16BE without a byte order mark', utf16(HEADER, false), 'utf-16be'],
    ['a file too short to judge', [0x61, 0x00], 'utf-8'],
    ['a three-byte file', ascii('a,b'), 'utf-16le'],
  ] as const)('accepts %s', (_name, bytes, declared) => {
    // Act / Assess
    expect(sniffFileStart(Uint8Array.from(bytes), declared)).toBeNull();
  });

  it.each([
    [
      'a UTF-8 BOM to a windows-1252 partner',
      [0xef, 0xbb, 0xbf, ...ascii(HEADER)],
      'windows-1252',
      'starts with a UTF-8 byte order mark, but the partner declared windows-1252',
    ],
    [
      'a UTF-8 BOM to a UTF-16LE partner',
      [0xef, 0xbb, 0xbf, ...ascii(HEADER)],
      'utf-16le',
      'UTF-8 byte order mark',
    ],
    [
      'a UTF-16LE BOM to a UTF-8 partner',
      [0xff, 0xfe, ...utf16(HEADER, true)],
      'utf-8',
      'starts with a UTF-16LE byte order mark',
    ],
    [
      'a UTF-16BE BOM to a UTF-16LE partner',
      [0xfe, 0xff, ...utf16(HEADER, false)],
      'utf-16le',
      'UTF-16BE byte order mark',
    ],
    [
      'a UTF-16LE BOM to a windows-1252 partner',
      [0xff, 0xfe, ...utf16(HEADER, true)],
      'windows-1252',
      'UTF-16LE byte order mark',
    ],
    ['a UTF-32LE BOM', [0xff, 0xfe, 0, 0, ...utf32(HEADER, true)], 'utf-16le', 'UTF-32LE byte order mark'],
    [
      'a UTF-32BE BOM',
      [0, 0, 0xfe, 0xff, ...utf32(HEADER, false)],
      'utf-8',
      'finledger does not read UTF-32',
    ],
    [
      'UTF-16LE without BOM to a UTF-8 partner',
      utf16(HEADER, true),
      'utf-8',
      'looks like UTF-16LE without a byte order mark',
    ],
    ['UTF-16BE without BOM to a UTF-16LE partner', utf16(HEADER, false), 'utf-16le', 'looks like UTF-16BE'],
    ['UTF-32LE without BOM', utf32(HEADER, true), 'windows-1252', 'looks like UTF-32LE'],
    ['UTF-32BE without BOM', utf32(HEADER, false), 'utf-8', 'looks like UTF-32BE'],
    [
      'an 8-bit file to a UTF-16LE partner',
      ascii(HEADER),
      'utf-16le',
      'has no zero bytes where UTF-16 text would',
    ],
  ] as const)('names %s as ENCODING_MISMATCH', (_name, bytes, declared, reason) => {
    // Act
    const rejection = sniffFileStart(Uint8Array.from(bytes), declared);

    // Assess
    expect(rejection).toMatchObject({ code: 'ENCODING_MISMATCH', location: { byteOffset: 0 } });
    expect(rejection?.message).toContain(reason);
    expect(rejection?.message).toContain('Ask the partner to resend it in');
  });

  it.each([
    ['gzip', [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03], 'a gzip-compressed file'],
    [
      'zip or xlsx',
      [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00],
      'a ZIP archive (a .zip, or an Excel .xlsx workbook',
    ],
    ['an empty zip', [0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0], 'an empty ZIP archive'],
    ['a legacy .xls', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0], 'legacy Excel .xls'],
    ['a PDF', ascii('%PDF-1.7\n%'), 'a PDF document'],
    ['bzip2', [...ascii('BZh9'), 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0x12], 'a bzip2-compressed file'],
    ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4], 'a 7-Zip archive'],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 4], 'an xz-compressed file'],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x05], 'a Zstandard-compressed file'],
    ['rar', [...ascii('Rar!'), 0x1a, 0x07, 0x01, 0x00], 'a RAR archive'],
    [
      'zero bytes in no text layout',
      [0x61, 0x00, 0x00, 0x62, 0x63, 0x00, 0x01, 0x02, 0x03],
      'binary or corrupt',
    ],
  ])('names %s as COMPRESSED_OR_BINARY_FILE, whatever the declared encoding', (_name, bytes, what) => {
    for (const declared of ['utf-8', 'windows-1252', 'utf-16le'] as const) {
      // Act
      const rejection = sniffFileStart(Uint8Array.from(bytes), declared);

      // Assess
      expect(rejection).toMatchObject({ code: 'COMPRESSED_OR_BINARY_FILE', location: { byteOffset: 0 } });
      expect(rejection?.message).toContain(what);
      expect(rejection?.message).toMatch(/Ask the partner/);
    }
  });

  it.each(['BZh9,is,not,bzip2\n', 'PK,is,not,zip\n', '%PDF,not,a,pdf\n'])(
    'does not take text that starts like a signature for a binary file (%s)',
    (text) => {
      // Act / Assess
      expect(sniffFileStart(Uint8Array.from(ascii(text)), 'utf-8')?.code).not.toBe(
        'COMPRESSED_OR_BINARY_FILE',
      );
    },
  );
});

async function drain(chunks: readonly Uint8Array[], declared: DeclaredEncoding) {
  async function* body() {
    yield* chunks;
  }
  const out: number[] = [];
  try {
    for await (const bytes of checkFileStart(body(), declared)) out.push(...bytes);
    return { bytes: out };
  } catch (error) {
    if (!(error instanceof FileRejectionError)) throw error;
    return { code: error.code, yielded: out.length };
  }
}

describe('checkFileStart', () => {
  const file = Uint8Array.from(ascii(`${HEADER}tx-1,payment,1.00\n`));
  const gzip = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, ...ascii(HEADER)]);

  it('passes every byte through, in order, wherever the chunks are split', async () => {
    for (let at = 0; at <= file.length; at += 1) {
      // Act
      const outcome = await drain([file.subarray(0, at), file.subarray(at)], 'utf-8');

      // Assess
      expect(outcome).toEqual({ bytes: [...file] });
    }
    expect(
      await drain(
        Array.from(file, (byte) => Uint8Array.of(byte)),
        'utf-8',
      ),
    ).toEqual({ bytes: [...file] });
  });

  it('rejects before yielding a byte, wherever the chunks are split', async () => {
    for (let at = 0; at <= SNIFF_BYTES + 1; at += 1) {
      // Act / Assess
      expect(await drain([gzip.subarray(0, at), gzip.subarray(at)], 'utf-8')).toEqual({
        code: 'COMPRESSED_OR_BINARY_FILE',
        yielded: 0,
      });
    }
  });

  it('judges a file shorter than the sniffed length at its end', async () => {
    // Act / Assess
    expect(await drain([Uint8Array.of(0x1f), Uint8Array.of(0x8b)], 'utf-8')).toMatchObject({
      code: 'COMPRESSED_OR_BINARY_FILE',
    });
    expect(await drain([Uint8Array.from(ascii('a,b\n'))], 'utf-8')).toEqual({ bytes: ascii('a,b\n') });
  });
});
