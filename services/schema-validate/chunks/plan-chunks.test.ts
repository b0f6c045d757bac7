import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, StrictCsvParser } from '../csv/strict-csv-parser.ts';
import { planChunks } from './plan-chunks.ts';

async function* pieces(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

const records = (text: string): CsvRecord[] => {
  const out: CsvRecord[] = [];
  const parser = new StrictCsvParser();
  parser.push(text, out);
  parser.end(out);
  return out;
};

describe('planChunks', () => {
  const text = 'h1,h2\na,"x\ny"\r\n\nb,"he said ""hi""\n,ok"\nc,d\n';

  it('cuts only after a line feed outside quotes, covers every byte once, and hashes what it read', async () => {
    // Act: a 1-byte target cuts after every record end; pieces of 3 bytes split quotes and CRLFs.
    const plan = await planChunks(pieces(text, 3), 1);

    // Assess
    expect(plan.chunks.map((chunk) => text.slice(chunk.start, chunk.end))).toEqual([
      'h1,h2\n',
      'a,"x\ny"\r\n',
      '\n',
      'b,"he said ""hi""\n,ok"\n',
      'c,d\n',
    ]);
    expect(plan.sizeBytes).toBe(text.length);
    expect(plan.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('starts each chunk on the physical line the parser gives its first record', async () => {
    const plan = await planChunks(pieces(text, 5), 1);
    const lines = records(text).map((record) => record.line);

    // Chunk 2 is a blank line (no record): it starts on line 4, the one the parser skips.
    expect(plan.chunks.map((chunk) => chunk.firstLine)).toEqual([1, 2, 4, 5, 7]);
    expect(lines).toEqual([1, 2, 5, 7]);
  });

  it('merges a tail of blank lines into the chunk holding the last record, the trailer candidate', async () => {
    const plan = await planChunks(pieces('h\na\nTRAILER,1\n\r\n\n', 4), 1);
    expect(plan.chunks.at(-1)).toMatchObject({ start: 4, end: 17 });
    expect(plan.chunks).toHaveLength(3);
  });

  it('keeps a file without a final line feed, or without any, in whole chunks', async () => {
    expect(
      (await planChunks(pieces('h\nabc', 2), 1)).chunks.map((chunk) => [chunk.start, chunk.end]),
    ).toEqual([
      [0, 2],
      [2, 5],
    ]);
    expect((await planChunks(pieces('"open\n\nquote', 2), 1)).chunks).toEqual([
      { index: 0, start: 0, end: 12, firstLine: 1 },
    ]);
  });
});
