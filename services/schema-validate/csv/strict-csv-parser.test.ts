import { describe, expect, it } from 'vitest';
import { FileRejectionError } from '../errors.ts';
import { type CsvRecord, parseCsv, StrictCsvParser } from './strict-csv-parser.ts';

function parseAll(chunks: readonly string[], maxRecordSize?: number): CsvRecord[] {
  const parser = new StrictCsvParser({ maxRecordSize });
  const out: CsvRecord[] = [];
  for (const chunk of chunks) parser.push(chunk, out);
  parser.end(out);
  return out;
}

function rejection(run: () => unknown): FileRejectionError {
  try {
    run();
  } catch (error) {
    if (error instanceof FileRejectionError) return error;
    throw error;
  }
  throw new Error('expected a FileRejectionError');
}

describe('StrictCsvParser', () => {
  it.each([
    [
      'LF line breaks',
      'a,b\nc,d\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'CRLF line breaks',
      'a,b\r\nc,d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'a last line without a line break',
      'a,b\nc,d',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      'a last CRLF line without a line break',
      'a,b\r\nc,d',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['empty fields', ',a,,\n', [['', 'a', '', '']]],
    ['a blank line as no record at all', 'a\n\nb\n', [['a'], ['b']]],
    ['blank CRLF lines and a blank last line as no record', 'a\r\n\r\n\r\nb\r\n\r\n', [['a'], ['b']]],
    ['a line of spaces as the one-field record it is', 'a\n  \nb\n', [['a'], ['  '], ['b']]],
    ['a quoted empty line as one empty field', 'a\n""\nb\n', [['a'], [''], ['b']]],
    ['a quoted comma', '"a,b",c\n', [['a,b', 'c']]],
    ['doubled quotes', '"say ""hi""",x\n', [['say "hi"', 'x']]],
    ['an empty quoted field', '"",x\n', [['', 'x']]],
    ['a quoted field that is one quote', '"""",x\n', [['"', 'x']]],
    [
      'a quoted line break',
      '"a\nb",c\nd,e\n',
      [
        ['a\nb', 'c'],
        ['d', 'e'],
      ],
    ],
    ['a quoted CRLF', '"a\r\nb",c\r\n', [['a\r\nb', 'c']]],
    ['a quoted last field at end of input', 'a,"b"', [['a', 'b']]],
    ['a trailing comma at end of input', 'a,', [['a', '']]],
    ['no input', '', []],
  ])('parses %s', (_name, text, expected) => {
    // Act
    const records = parseAll([text]);

    // Assess
    expect(records.map((record) => record.fields)).toEqual(expected);
  });

  it('gives each record the physical line it starts on, counting quoted line breaks', () => {
    // Prepare
    const text = 'h1,h2\n"multi\nline\nvalue",x\nnext,y\r\nlast,z';

    // Act
    const records = parseAll([text]);

    // Assess
    expect(records.map((record) => record.line)).toEqual([1, 2, 5, 6]);
    expect(records.map((record) => record.raw)).toEqual([
      'h1,h2',
      '"multi\nline\nvalue",x',
      'next,y',
      'last,z',
    ]);
  });

  it('skips blank lines but keeps counting them as physical lines', () => {
    // Act
    const records = parseAll(['h\n\n1\r\n\r\n"2\n\nb"\n\n3']);

    // Assess
    expect(records.map((record) => [record.line, record.raw])).toEqual([
      [1, 'h'],
      [3, '1'],
      [5, '"2\n\nb"'],
      [9, '3'],
    ]);
  });

  it('yields the same records wherever the chunks are split', () => {
    // Prepare
    const text = 'id,"na,me",v\r\n\r\n1,"a ""b""\nc",\n\n2,plain,"x"\n,,\n3,"",end\n\n';
    const expected = parseAll([text]);

    // Act
    const splits = Array.from({ length: text.length + 1 }, (_, at) =>
      parseAll([text.slice(0, at), text.slice(at)]),
    );
    const oneByOne = parseAll([...text]);

    // Assess
    for (const records of splits) expect(records).toEqual(expected);
    expect(oneByOne).toEqual(expected);
  });

  it('passes a ragged (truncated) last record through for the caller to quarantine', () => {
    // Act
    const records = parseAll(['a,b,c\n1,2,3\n4,5']);

    // Assess
    expect(records.at(-1)).toEqual({ line: 3, fields: ['4', '5'], raw: '4,5' });
  });

  it.each([
    ['a quote inside an unquoted field', 'a,b\nc,d"e\n', 2, 4, 'inside an unquoted field'],
    ['text after a closing quote', 'a,b\n"c"d,e\n', 2, 4, 'follows a closing quote'],
    ['a space after a closing quote', 'a,"b" \n', 1, 6, 'follows a closing quote'],
    ['an unclosed quote at end of input', 'a,b\nc,"d\ne,f\n', 2, 3, 'never closed'],
    ['a bare carriage return', 'a,b\rc,d\n', 1, 4, 'carriage return'],
    ['a bare carriage return at end of input', 'a,b\r', 1, 4, 'carriage return'],
    ['a stray quote on a later line of a quoted record', 'x\n"a\nb"c\n', 3, 3, 'follows a closing quote'],
  ])('rejects %s as MALFORMED_CSV at line %i, column %i', (_name, text, line, column, what) => {
    // Act
    const error = rejection(() => parseAll([text]));

    // Assess
    expect(error.code).toBe('MALFORMED_CSV');
    expect(error.location).toEqual({ line, column });
    expect(error.message).toContain(what);
  });

  it('rejects a record above the size cap within one chunk', () => {
    // Act
    const error = rejection(() => parseAll([`a,b\n${'x'.repeat(101)}\n`], 100));

    // Assess
    expect(error.code).toBe('RECORD_TOO_LARGE');
    expect(error.location).toEqual({ line: 2 });
  });

  it('rejects a 10 MB field as soon as the partial record passes the cap, without reading the rest', async () => {
    // Prepare
    let chunksRead = 0;
    async function* tenMegabytes() {
      yield 'id,note\n1,"';
      for (let index = 0; index < 160; index += 1) {
        chunksRead += 1;
        yield 'y'.repeat(64 * 1024);
      }
      yield '"\n';
    }

    // Act
    const run = async () => {
      for await (const _ of parseCsv(tenMegabytes())) {
        // drain
      }
    };

    // Assess
    await expect(run()).rejects.toMatchObject({ code: 'RECORD_TOO_LARGE', location: { line: 2 } });
    expect(chunksRead).toBeLessThanOrEqual(17);
  });
});

describe('parseCsv', () => {
  it('yields records in batches, one per chunk that completes any', async () => {
    // Prepare
    async function* chunks() {
      yield 'a,b\n1,';
      yield '2\n3,4';
    }

    // Act
    const batches: CsvRecord[][] = [];
    for await (const batch of parseCsv(chunks())) batches.push(batch);

    // Assess
    expect(batches.map((batch) => batch.map((record) => record.fields))).toEqual([
      [['a', 'b']],
      [['1', '2']],
      [['3', '4']],
    ]);
  });
});
