import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { cardNumberSpans } from '../card-numbers.ts';
import { scanContent, utf16Encoding } from './content-scan.ts';
import { isEpochMillisNumber } from './machine-tokens.ts';
import { maskedExcerpt } from './text-scan.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const utf16le = (text: string, bom = true) =>
  new Uint8Array(Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')]));
const utf16be = (text: string) => new Uint8Array(Buffer.from(text, 'utf16le').swap16());
const parquet = (columns: Parameters<typeof parquetWriteBuffer>[0]['columnData']) =>
  new Uint8Array(parquetWriteBuffer({ columnData: columns }));

/** Hex digests and UUIDs with a Luhn-valid 13-19 digit run in them (found by search; see machine-tokens.ts). */
const SHA256_WITH_RUN = '7f0aeaaa4939c2150413b50fb2c1d584be2ce477416233877267d36fb062c098';
const UUID_WITH_RUN = 'e4c3b5ea-b4f5-4220-8716-5406162bd630';

describe('scanContent', () => {
  it.each([
    ['a CSV body', utf8('id,card\ntx-1,4111111111111111\n'), 'line 2, column 6'],
    ['a PAN glued to letters', utf8('{"ref":"tx4111111111111111ab"}'), 'line 1, column 11'],
    ['a spaced PAN in JSON Lines', utf8('{}\n{}\n{"note":"card 5555 5555 5555 4444"}'), 'line 3, column 15'],
    [
      'windows-1252 text',
      new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, ...utf8('378282246310005')]),
      'line 1, column 6',
    ],
    ['UTF-16LE text with a BOM', utf16le('name,pan\nx,4111111111111111'), 'UTF-16LE line 2, column 3'],
    ['UTF-16LE text without a BOM', utf16le('pan 4111111111111111', false), 'UTF-16LE line 1, column 5'],
    ['UTF-16BE text', utf16be('pan 4111111111111111'), 'UTF-16BE line 1, column 5'],
    ['a gzip object', new Uint8Array(gzipSync('a,b\n1,4111111111111111\n')), 'gunzipped, line 2, column 3'],
    [
      'a binary with ASCII digits',
      new Uint8Array([0, 1, 2, ...utf8('4111111111111111'), 255]),
      'line 1, column 4',
    ],
    [
      'a Parquet string column',
      parquet([{ name: 'note', data: ['ok', 'paid with 4111111111111111'], type: 'STRING' }]),
      'column note, row 2',
    ],
    [
      'a Parquet INT64 column',
      parquet([{ name: 'card', data: BigInt64Array.from([1n, 4111111111111111n]), type: 'INT64' }]),
      'column card, row 2',
    ],
    [
      'a Parquet binary column',
      parquet([{ name: 'raw', data: [utf8('x 4111111111111111')], type: 'BYTE_ARRAY' }]),
      'column raw, row 1',
    ],
    [
      'a Parquet column name',
      parquet([{ name: 'pan_4111111111111111', data: [1], type: 'INT32' }]),
      'footer: column name',
    ],
  ])('finds a card number in %s, at its place', async (_name, bytes, where) => {
    // Act
    const { hits, notes } = await scanContent(bytes);

    // Assess
    expect(hits.map((hit) => hit.where)).toEqual([where]);
    expect(notes).toEqual([]);
    expect(JSON.stringify(hits)).not.toMatch(/4111111111111111|5555 5555 5555 4444|378282246310005/);
  });

  it.each([
    ['a sha256 hex digest', utf8(`{"sha256":"${SHA256_WITH_RUN}"}`)],
    ['an S3 ETag', utf8(`"etag":"\\"${SHA256_WITH_RUN.slice(32)}\\""`)],
    ['a UUID', utf8(`{"eventId":"${UUID_WITH_RUN}"}`)],
    ['a zero-padded id', utf8('BATCH-0042-0000000001')],
    [
      'a Parquet timestamp column',
      parquet([{ name: 'at', data: [new Date(1796534412579)], type: 'TIMESTAMP' }]),
    ],
    ['a Parquet amount column', parquet([{ name: 'amount', data: [1050.25], type: 'DOUBLE' }])],
  ])('reports nothing for %s', async (_name, bytes) => {
    // Act
    const { hits } = await scanContent(bytes);

    // Assess
    expect(hits).toEqual([]);
  });

  it('has test tokens that do hold a Luhn-valid run, so the guard is what skips them', () => {
    // The runs below sit inside the tokens; on their own they are card numbers.
    const digestRun = '477416233877267';
    const uuidRun = '5-4220-8716-5406162';
    expect(SHA256_WITH_RUN.slice(32)).toContain(digestRun);
    expect(UUID_WITH_RUN).toContain(uuidRun);
    expect(cardNumberSpans(` ${digestRun} `)).not.toEqual([]);
    expect(cardNumberSpans(` ${uuidRun} `)).not.toEqual([]);
    expect(cardNumberSpans(SHA256_WITH_RUN)).toEqual([]);
    expect(cardNumberSpans(UUID_WITH_RUN)).toEqual([]);
  });

  it('still finds a card number beside a digest or inside a 31-character hex run', async () => {
    // Act
    const beside = await scanContent(utf8(`${SHA256_WITH_RUN} 4111111111111111`));
    const short = await scanContent(utf8(`abcdef4111111111111111abcdef012`));

    // Assess
    expect(beside.hits.map((hit) => hit.where)).toEqual(['line 1, column 66']);
    expect(short.hits).toHaveLength(1);
  });

  it('scans an undecodable Parquet object as bytes, and says so', async () => {
    // Prepare
    const bytes = utf8('PAR1 not really 4111111111111111 PAR1');

    // Act
    const { hits, notes } = await scanContent(bytes);

    // Assess
    expect(hits.map((hit) => hit.where)).toEqual(['line 1, column 17']);
    expect(notes).toEqual([expect.stringMatching(/^not decodable as Parquet/)]);
  });

  it('finds every card number of a text larger than one scanning piece, with its line', async () => {
    // Prepare
    const line = `${'x,'.repeat(40)}1234\n`;
    const lines = Math.ceil((9 * 1024 * 1024) / line.length);
    const text = `${line.repeat(lines)}tail 4111 1111 1111 1111\n`;

    // Act
    const { hits } = await scanContent(utf8(text));

    // Assess
    expect(hits.map((hit) => hit.where)).toEqual([`line ${lines + 1}, column 6`]);
  });
});

describe('utf16Encoding', () => {
  it.each([
    ['plain ASCII', utf8('hello, 1234'), undefined],
    ['UTF-16LE by BOM', utf16le('x'), 'utf-16le'],
    ['UTF-16LE by NUL pattern', utf16le('hello 1234', false), 'utf-16le'],
    ['UTF-16BE by NUL pattern', utf16be('hello 1234'), 'utf-16be'],
  ])('recognises %s', (_name, bytes, expected) => {
    expect(utf16Encoding(bytes)).toBe(expected);
  });
});

describe('maskedExcerpt', () => {
  it('masks the finding and hides the digits of the numbers its edges cut', () => {
    // Prepare
    const text = 'ref 5555555555554444 and 4111111111111111 then 378282246310005';

    // Act
    const excerpt = maskedExcerpt(text, { start: 25, end: 41 });

    // Assess
    expect(excerpt).toBe('*********** and ************1111 then **********');
  });
});

describe('isEpochMillisNumber', () => {
  it.each([
    ['1796534412579', true],
    ['4222222222222', false],
    ['41111111111111', false],
    ['179653441257', false],
  ])('judges %s as %s', (value, expected) => {
    expect(isEpochMillisNumber(value)).toBe(expected);
  });
});
