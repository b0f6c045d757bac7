import { describe, expect, it } from 'vitest';
import { byteTable, type SingleByteEncoding, UNDEFINED_BYTE } from './single-byte-tables.ts';

/** What ICU's TextDecoder gives for one byte, or UNDEFINED_BYTE when it refuses it or maps it to private use. */
function icu(label: string, byte: number): number {
  try {
    const unit = new TextDecoder(label, { fatal: true }).decode(Uint8Array.of(byte)).charCodeAt(0);
    return unit >= 0xe000 && unit <= 0xf8ff ? UNDEFINED_BYTE : unit;
  } catch {
    return UNDEFINED_BYTE;
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('byteTable', () => {
  it.each([
    ['iso-8859-2', 'iso-8859-2'],
    ['iso-8859-3', 'iso-8859-3'],
    ['iso-8859-4', 'iso-8859-4'],
    ['iso-8859-5', 'iso-8859-5'],
    ['iso-8859-6', 'iso-8859-6'],
    ['iso-8859-7', 'iso-8859-7'],
    ['iso-8859-8', 'iso-8859-8'],
    ['iso-8859-10', 'iso-8859-10'],
    ['iso-8859-13', 'iso-8859-13'],
    ['iso-8859-14', 'iso-8859-14'],
    ['iso-8859-15', 'iso-8859-15'],
    // WHATWG reads these two as windows code pages, which agree with the ISO part from 0xA0 up.
    ['iso-8859-9', 'windows-1254'],
    ['iso-8859-11', 'windows-874'],
  ] as const)('agrees with ICU (%s read as %s) on bytes 0xA0-0xFF', (encoding, label) => {
    // Act
    const table = byteTable(encoding);

    // Assess
    expect(range(0xa0, 0xff).map((byte) => table[byte])).toEqual(
      range(0xa0, 0xff).map((byte) => icu(label, byte)),
    );
  });

  it('agrees with WHATWG windows-1252 except on the five bytes it decodes as C1 controls', () => {
    // Act
    const table = byteTable('windows-1252');

    // Assess
    const undefinedBytes = range(0x80, 0xff).filter((byte) => table[byte] === UNDEFINED_BYTE);
    expect(undefinedBytes).toEqual([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
    for (const byte of range(0x80, 0xff).filter((byte) => !undefinedBytes.includes(byte)))
      expect(table[byte]).toBe(icu('windows-1252', byte));
  });

  it('reads ISO-8859-1 as byte = code point, never as windows-1252', () => {
    // Act
    const table = byteTable('iso-8859-1');

    // Assess
    expect(range(0xa0, 0xff).every((byte) => table[byte] === byte)).toBe(true);
  });

  it('has ISO-8859-16, which Node cannot decode, with its Romanian letters and the euro', () => {
    // Act
    const table = byteTable('iso-8859-16');

    // Assess
    expect(
      String.fromCharCode(...[0xa4, 0xaa, 0xba, 0xde, 0xfe, 0xd5].map((byte) => table[byte] as number)),
    ).toBe('€ȘșȚțŐ');
  });

  const allSingleByte: SingleByteEncoding[] = [
    'windows-1252',
    ...([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16].map(
      (part) => `iso-8859-${part}`,
    ) as SingleByteEncoding[]),
  ];

  it.each(allSingleByte)('keeps ASCII as is in %s', (encoding) => {
    // Act / Assess
    expect(range(0, 0x7f).every((byte) => byteTable(encoding)[byte] === byte)).toBe(true);
  });

  it.each(allSingleByte.filter((encoding) => encoding !== 'windows-1252'))(
    'treats every C1 control of %s as undefined',
    (encoding) => {
      // Act / Assess
      expect(range(0x80, 0x9f).every((byte) => byteTable(encoding)[byte] === UNDEFINED_BYTE)).toBe(true);
    },
  );

  it.each(allSingleByte)('maps no byte of %s to a surrogate or a byte order mark', (encoding) => {
    // Act
    const units = [...byteTable(encoding)];

    // Assess
    expect(units.filter((unit) => (unit >= 0xd800 && unit <= 0xdfff) || unit === 0xfeff)).toEqual([]);
  });
});
