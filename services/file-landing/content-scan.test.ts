import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { luhnValid } from './card-number-detector.ts';
import { ContentScanner, scanContent } from './content-scan.ts';
import { ObjectChangedError } from './errors.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feed the text in chunks split at the given offsets. */
function scanSplit(text: string, cuts: number[]) {
  const data = bytes(text);
  const scanner = new ContentScanner();
  let start = 0;
  for (const cut of [...cuts, data.length]) {
    scanner.update(data.subarray(start, cut));
    start = cut;
  }
  return scanner.finish();
}

const scan = (text: string) => scanSplit(text, []);

describe('ContentScanner', () => {
  it('hashes and sizes the bytes exactly', () => {
    // Prepare
    const text = 'transaction_id,amount\ntx_a,1.00\n';

    // Act
    const summary = scan(text);

    // Assess
    expect(summary.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(summary.sizeBytes).toBe(text.length);
  });

  it.each([
    ['an empty file', '', 0],
    ['a header without newline', 'h1,h2', 0],
    ['a header with newline', 'h1,h2\n', 0],
    ['LF rows with a trailing newline', 'h\n1\n2\n', 2],
    ['LF rows without a trailing newline', 'h\n1\n2', 2],
    ['CRLF rows', 'h\r\n1\r\n2\r\n', 2],
    ['CRLF rows without a trailing newline', 'h\r\n1\r\n2', 2],
    ['CR-only rows', 'h\r1\r2\r', 2],
    ['a blank line in the middle', 'h\n1\n\n2\n', 3],
    ['a trailer line', 'h\n1\nTRAILER,1,EUR=1.00\n', 2],
  ])('counts physical lines after the header in %s', (_case, text, lineCount) => {
    expect(scan(text).lineCount).toBe(lineCount);
  });

  it('counts a CRLF split across chunks once', () => {
    // Prepare
    const text = 'h\r\n1\r\n2\r\n';

    // Act
    const counts = Array.from({ length: text.length + 1 }, (_, cut) => scanSplit(text, [cut]).lineCount);

    // Assess
    expect(new Set(counts)).toEqual(new Set([2]));
  });

  it.each([
    ['a bare PAN', 'h\ntx_1,4111111111111111\n', 2],
    ['a PAN in spaced groups', 'h\ntx_1,"4111 1111 1111 1111"\n', 2],
    ['a PAN in dashed groups', 'h\ntx_1,5555-5555-5555-4444\n', 2],
    ['a 15-digit Amex PAN', 'h\n\ntx_1,378282246310005\n', 3],
    ['a 13-digit PAN', 'h\n4222222222222,x\n', 2],
    ['a 19-digit PAN', 'h\n6221260000000000001 \n', 2],
    ['a PAN after a non-ASCII byte', 'h\n€4111111111111111\n', 2],
    ['a PAN inside a longer spaced run', 'h\nref 12 4111 1111 1111 1111 99\n', 2],
    ['a PAN at the very end without newline', 'h\n4111111111111111', 2],
    ['a PAN glued to letters', 'h\ntx4111111111111111ab\n', 2],
    ['a PAN glued to underscores', 'h\nref_4111111111111111_x\n', 2],
    ['a PAN in dotted groups', 'h\n4111.1111.1111.1111\n', 2],
  ])('finds %s and its line', (_case, text, line) => {
    // Act
    const found = scan(text).cardNumbers;

    // Assess
    expect(found.count).toBeGreaterThan(0);
    expect(found.firstLine).toBe(line);
  });

  it.each([
    ['a Luhn-invalid number', '4111111111111112'],
    ['12 digits', '411111111116'],
    ['20 digits', '41111111111111111113'],
    ['a number starting with 0', '0000000000000000'],
    ['a date and time', '2026-11-19T10:15:00+01:00'],
    ['an amount', '-1050.25'],
    ['groups split by two separators', '4111 1111  1111 1111'],
  ])('ignores %s', (_case, value) => {
    expect(scan(`h\n${value},EUR\n`).cardNumbers).toEqual({ count: 0, firstLine: null });
  });

  it.each([
    ['UTF-16LE with a BOM', 'utf16le', true],
    ['UTF-16LE without a BOM', 'utf16le', false],
    ['UTF-16BE with a BOM', 'utf16be', true],
    ['UTF-16BE without a BOM', 'utf16be', false],
  ] as const)('finds a PAN and its line in %s text, whatever the chunks', (_case, encoding, bom) => {
    // Prepare
    const text = `${bom ? '\ufeff' : ''}id,card\r\ntx_1,4111 1111 1111 1111\r\n`;
    const little = Buffer.from(text, 'utf16le');
    const data = encoding === 'utf16le' ? little : Buffer.from(little).swap16();

    // Act
    const results = [1, 3, data.length].map((chunk) => {
      const scanner = new ContentScanner();
      for (let offset = 0; offset < data.length; offset += chunk)
        scanner.update(data.subarray(offset, offset + chunk));
      return scanner.finish();
    });

    // Assess
    for (const summary of results) {
      expect(summary.cardNumbers).toEqual({ count: 1, firstLine: 2 });
      expect(summary.lineCount).toBe(1);
    }
  });

  it('finds a PAN wherever the chunks split it', () => {
    // Prepare
    const text = 'id,card\ntx_1,4111 1111-1111 1111,x\n';

    // Act
    const results = Array.from({ length: text.length + 1 }, (_, cut) => scanSplit(text, [cut]).cardNumbers);
    const byteByByte = scanSplit(
      text,
      Array.from({ length: text.length }, (_, index) => index),
    );

    // Assess
    expect(results.every((found) => found.count === 1 && found.firstLine === 2)).toBe(true);
    expect(byteByByte.cardNumbers).toEqual({ count: 1, firstLine: 2 });
  });

  it('keeps no digits in its result', () => {
    // Act
    const summary = scan('h\n4111111111111111\n');

    // Assess
    expect(JSON.stringify(summary)).not.toMatch(/4111/);
  });
});

describe('scanContent', () => {
  async function* chunks(...parts: string[]) {
    for (const part of parts) yield bytes(part);
  }

  it('summarises a stream of chunks', async () => {
    // Act
    const summary = await scanContent(chunks('h\n1', '\n2\n'), { expectedBytes: 6 });

    // Assess
    expect(summary).toMatchObject({ sizeBytes: 6, lineCount: 2 });
  });

  it.each([
    ['more', 5],
    ['fewer', 7],
  ])('fails when the stream yields %s bytes than expected', async (_case, expectedBytes) => {
    await expect(scanContent(chunks('h\n1', '\n2\n'), { expectedBytes })).rejects.toBeInstanceOf(
      ObjectChangedError,
    );
  });
});

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
    ['0', true],
  ])('checks %s as %s', (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });
});
