import { describe, expect, it } from 'vitest';
import { byteTable } from './csv/single-byte-tables.ts';
import { doubleEncodingCheck } from './double-encoded-utf8.ts';

/** What a system that reads UTF-8 bytes as windows-1252 (falling back to ISO-8859-1) makes of a text. */
function misread(text: string): string {
  const table = byteTable('windows-1252');
  return Array.from(new TextEncoder().encode(text), (byte) =>
    String.fromCharCode(table[byte] === 0xffff ? byte : (table[byte] as number)),
  ).join('');
}

describe('doubleEncodingCheck', () => {
  const unicodePartner = doubleEncodingCheck('utf-8');
  const windowsPartner = doubleEncodingCheck('windows-1252');

  it.each(['é', 'ü', 'ß', '€', '’', '\u00a0', 'ł', 'ś', 'ğ', 'п', 'α', 'א', '✓', '😀', 'Á', 'Ý'])(
    'finds %j read as windows-1252 (or ISO-8859-1) in a UTF-8 partner’s text',
    (char) => {
      // Prepare
      const text = `m_caf${misread(char)}_1`;

      // Act / Assess
      expect(unicodePartner?.test(text)).toBe(true);
    },
  );

  it.each(['é', 'ü', '€', '’', '😀', 'ł'])(
    'finds %j in a UTF-8 file sent by a windows-1252 partner',
    (char) => {
      // Act / Assess
      expect(windowsPartner?.test(`x${misread(char)}`)).toBe(true);
    },
  );

  it.each([
    'é',
    'ü',
    '€',
    'Ã',
    'Ã alone',
    'Âge',
    'Müller & Söhne',
    'São Paulo',
    'naïve',
    'Ærøskøbing',
    'Ñandú',
    'ÉCOLE',
    "L'ÉTÉ",
    'Zürich – Genève',
    '£10 ©2024 ½ ° ±',
    'à la carte',
    'Œuvre',
    'déjà vu',
    'Straße 5',
    'Čapek',
    'tx-1',
    '',
  ])('leaves genuine text %j alone', (text) => {
    // Act / Assess
    expect(unicodePartner?.test(text)).toBe(false);
    expect(windowsPartner?.test(text)).toBe(false);
  });

  it('needs every continuation character: a 3-byte lead with one is not double-encoded', () => {
    // Act / Assess
    expect(unicodePartner?.test('â€')).toBe(false);
    expect(unicodePartner?.test('â€¬')).toBe(true);
  });

  it('refuses overlong and surrogate byte pairs as UTF-8, like a decoder would', () => {
    // Act / Assess (E0 80 80 is an overlong NUL; ED A0 80 a surrogate)
    expect(unicodePartner?.test('à\u20ac\u20ac')).toBe(false);
    expect(unicodePartner?.test('í\u00a0\u20ac')).toBe(false);
  });

  it.each(['iso-8859-2', 'iso-8859-5', 'iso-8859-7', 'iso-8859-8', 'iso-8859-11'] as const)(
    'is not applied to %s, whose ordinary words form valid UTF-8 byte pairs',
    (encoding) => {
      // Act / Assess
      expect(doubleEncodingCheck(encoding)).toBeNull();
    },
  );

  it('names the misread encoding in its reason, never the text', () => {
    // Act / Assess
    expect(unicodePartner?.reason).toBe(
      'looks like double-encoded UTF-8 (UTF-8 bytes read as windows-1252 or ISO-8859-1 before the file was written)',
    );
    expect(windowsPartner?.reason).toBe(
      'looks like double-encoded UTF-8 (UTF-8 bytes read as windows-1252: the partner may have sent UTF-8)',
    );
  });

  it('finds every 2-, 3- and 4-byte character of a sample, once misread', () => {
    // Prepare
    const samples = [
      0xa0, 0xff, 0x100, 0x17f, 0x3a9, 0x42f, 0x5d0, 0x7ff, 0x800, 0x20ac, 0xfffd, 0x10000, 0x1f600, 0x10ffff,
    ];

    // Act
    const missed = samples.filter(
      (codePoint) => !unicodePartner?.test(misread(String.fromCodePoint(codePoint))),
    );

    // Assess
    expect(missed).toEqual([]);
  });
});
