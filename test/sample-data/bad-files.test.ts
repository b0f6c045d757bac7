import { describe, expect, it } from 'vitest';
import { parseLandingKey } from '../../services/file-landing/landing-key.ts';
import { badFiles, HUGE_FIELD_BYTES } from './bad-files.ts';

const files = badFiles();
const named = (name: string) => {
  const file = files.find((candidate) => candidate.name === name);
  if (!file) throw new Error(`no bad file ${name}`);
  return file;
};
const text = (name: string) => new TextDecoder().decode(named(name).bytes);

describe('badFiles', () => {
  it('names each file once, under a routable landing key', () => {
    expect(new Set(files.map((file) => file.name)).size).toBe(files.length);
    expect(files.every((file) => parseLandingKey(file.landingKey).ok)).toBe(true);
  });

  it.each([
    ['empty', 'EMPTY_FILE'],
    ['header-only', 'HEADER_ONLY'],
    ['wrong-delimiter', 'HEADER_MISMATCH'],
    ['duplicate-header', 'DUPLICATE_HEADER'],
    ['truncated-trailer-missing', 'TRAILER_MISSING'],
    ['unclosed-quote', 'MALFORMED_CSV'],
    ['latin1-in-utf8', 'ENCODING_INVALID'],
    ['huge-field', 'RECORD_TOO_LARGE'],
  ])('expects %s to be rejected as %s', (name, code) => {
    expect(named(name).expected).toMatchObject({ outcome: 'rejected', code });
  });

  it('makes the empty file zero bytes and the header-only file one line', () => {
    expect(named('empty').bytes).toHaveLength(0);
    expect(text('header-only').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('writes the wrong-delimiter file with semicolons and the duplicate header with amount twice', () => {
    expect(text('wrong-delimiter').split('\n')[0]).toContain('transaction_id;type;amount');
    expect(
      text('duplicate-header')
        .split('\n')[0]
        ?.split(',')
        .filter((column) => column === 'amount'),
    ).toHaveLength(2);
  });

  it('cuts the truncated files mid-row, without a final newline', () => {
    // Act
    const missingTrailer = text('truncated-trailer-missing');
    const raggedLines = text('truncated-last-line').split('\n');

    // Assess
    expect(missingTrailer).not.toContain('TRAILER');
    expect(missingTrailer.endsWith('\n')).toBe(false);
    expect(raggedLines.at(-1)?.split(',').length).toBeLessThan(8);
    expect(named('truncated-last-line').expected).toMatchObject({
      outcome: 'row-quarantined',
      line: raggedLines.length,
    });
  });

  it('puts a Latin-1 byte at the expected offset of a UTF-8 partner file', () => {
    // Prepare
    const file = named('latin1-in-utf8');
    const offset = file.expected.outcome === 'rejected' ? (file.expected.location?.byteOffset ?? -1) : -1;

    // Act
    const decodeAll = () => new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
    const decodeBefore = () =>
      new TextDecoder('utf-8', { fatal: true }).decode(file.bytes.subarray(0, offset));

    // Assess
    expect(file.bytes[offset]).toBe(0xe9);
    expect(decodeAll).toThrow(TypeError);
    expect(decodeBefore).not.toThrow();
  });

  it('holds one field of 10 MiB in the huge-field file', () => {
    expect(named('huge-field').bytes.length).toBeGreaterThan(HUGE_FIELD_BYTES);
  });

  it('prefixes the BOM file with EF BB BF and expects it accepted', () => {
    expect([...named('utf8-bom').bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(named('utf8-bom').expected).toEqual({ outcome: 'accepted', validRows: 5 });
  });
});
