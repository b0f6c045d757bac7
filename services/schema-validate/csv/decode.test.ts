import { describe, expect, it } from 'vitest';
import { decodeStream, firstInvalidUtf8Index, utf8IncompleteTailLength } from './decode.ts';

async function* bytesOf(...parts: (string | number[])[]): AsyncGenerator<Uint8Array> {
  for (const part of parts)
    yield typeof part === 'string' ? new TextEncoder().encode(part) : new Uint8Array(part);
}

async function decodeAll(
  body: AsyncIterable<Uint8Array>,
  encoding: 'utf-8' | 'windows-1252' = 'utf-8',
): Promise<string> {
  let text = '';
  for await (const chunk of decodeStream(body, encoding)) text += chunk;
  return text;
}

describe('decodeStream', () => {
  it('decodes a multi-byte character split across chunks', async () => {
    // Prepare
    const euro = [...new TextEncoder().encode('€')];

    // Act
    const text = await decodeAll(bytesOf('a', euro.slice(0, 1), euro.slice(1), 'b'));

    // Assess
    expect(text).toBe('a€b');
  });

  it('strips a UTF-8 byte order mark, even split across chunks', async () => {
    // Act
    const text = await decodeAll(bytesOf([0xef, 0xbb], [0xbf, 0x61, 0x2c, 0x62]));

    // Assess
    expect(text).toBe('a,b');
  });

  it('decodes windows-1252 bytes for a partner that declares it', async () => {
    // Act
    const text = await decodeAll(bytesOf([0x63, 0x61, 0x66, 0xe9, 0x80]), 'windows-1252');

    // Assess
    expect(text).toBe('café€');
  });

  it.each([
    ['Latin-1 é in the first chunk', ['abc', [0xe9, 0x78], 'def'], 3],
    ['Latin-1 é at the end of a later chunk', ['abcd', 'ef', [0x31, 0xe9], [0x78]], 7],
    ['a stray continuation byte', ['ab', [0x80]], 2],
    ['an overlong encoding', ['ab', [0xc0, 0xaf]], 2],
    ['a sequence split across chunks, broken in the second', ['ab', [0xe2, 0x82], [0x41]], 2],
    ['a truncated sequence at end of stream', ['abc', [0xe2, 0x82]], 3],
  ])('rejects %s with ENCODING_INVALID at byte %i', async (_name, parts, byteOffset) => {
    // Act
    const run = decodeAll(bytesOf(...(parts as (string | number[])[])));

    // Assess
    await expect(run).rejects.toMatchObject({ code: 'ENCODING_INVALID', location: { byteOffset } });
  });
});

describe('firstInvalidUtf8Index', () => {
  it.each([
    [[0x61, 0x62], -1],
    [[0xe2, 0x82, 0xac], -1],
    [[0xf0, 0x9f, 0x98, 0x80], -1],
    [[0x61, 0xe9, 0x62], 1],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0xff], 0],
    [[0x61, 0xe2, 0x82], -1],
  ])('finds %j invalid at %i', (bytes, index) => {
    // Act / Assess
    expect(firstInvalidUtf8Index(new Uint8Array(bytes))).toBe(index);
  });
});

describe('utf8IncompleteTailLength', () => {
  it.each([
    [[0x61], 0],
    [[0x61, 0xe2], 1],
    [[0x61, 0xe2, 0x82], 2],
    [[0xe2, 0x82, 0xac], 0],
    [[0xf0, 0x9f, 0x98], 3],
  ])('counts the pending bytes of %j as %i', (bytes, pending) => {
    // Act / Assess
    expect(utf8IncompleteTailLength(new Uint8Array(bytes))).toBe(pending);
  });
});

describe('decodeStream and byte order marks', () => {
  it('keeps a second byte order mark (the header check then rejects it)', async () => {
    // Act
    const text = await decodeAll(bytesOf([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61]));

    // Assess
    expect(text).toBe('\ufeffa');
  });
});
