import { describe, expect, it } from 'vitest';
import type { DeclaredEncoding } from '../../../config/partners.ts';
import { FileRejectionError } from '../errors.ts';
import { decodeStream } from './decode.ts';

async function* bytesOf(...parts: (string | number[])[]): AsyncGenerator<Uint8Array> {
  for (const part of parts)
    yield typeof part === 'string' ? new TextEncoder().encode(part) : new Uint8Array(part);
}

async function decodeAll(
  body: AsyncIterable<Uint8Array>,
  encoding: DeclaredEncoding = 'utf-8',
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

describe('decodeStream and byte order marks', () => {
  it('keeps a second byte order mark (the header check then rejects it)', async () => {
    // Act
    const text = await decodeAll(bytesOf([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61]));

    // Assess
    expect(text).toBe('\ufeffa');
  });
});

/** Text decoded, or the rejection's code, offset and reason: what a split must never change. */
async function outcomeOf(chunks: readonly Uint8Array[], encoding: DeclaredEncoding) {
  async function* body() {
    yield* chunks;
  }
  try {
    return { text: await decodeAll(body(), encoding) };
  } catch (error) {
    if (!(error instanceof FileRejectionError)) throw error;
    return { code: error.code, location: error.location, reason: error.message };
  }
}

const utf16 = (text: string, littleEndian: boolean): number[] =>
  [...text].flatMap((char) => {
    const units: number[] = [];
    for (let index = 0; index < char.length; index += 1) units.push(char.charCodeAt(index));
    return units.flatMap((unit) => (littleEndian ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff]));
  });

describe('decodeStream in single-byte encodings', () => {
  it.each([
    ['windows-1252', [0x80, 0x8a, 0xe9], '€Šé'],
    ['iso-8859-1', [0xa4, 0xe9, 0xff], '¤éÿ'],
    ['iso-8859-15', [0xa4, 0xa6, 0xbc], '€ŠŒ'],
    ['iso-8859-2', [0xa1, 0xb3, 0xe8], 'Ąłč'],
    ['iso-8859-5', [0xb0, 0xd0], 'Аа'],
    ['iso-8859-7', [0xc1, 0xe1], 'Αα'],
    ['iso-8859-9', [0xd0, 0xdd, 0xfd, 0xfe], 'Ğİış'],
    ['iso-8859-11', [0xa1, 0xdf], 'ก฿'],
    ['iso-8859-16', [0xaa, 0xba, 0xde, 0xfe], 'ȘșȚț'],
  ] as const)('reads %s bytes %j as %s', async (encoding, bytes, text) => {
    // Act / Assess
    expect(await decodeAll(bytesOf('a,', [...bytes]), encoding)).toBe(`a,${text}`);
  });

  it.each([
    ['windows-1252', 0x81, 'byte 0x81 has no character in windows-1252'],
    ['windows-1252', 0x8d, 'byte 0x8D has no character in windows-1252'],
    ['windows-1252', 0x8f, 'byte 0x8F has no character in windows-1252'],
    ['windows-1252', 0x90, 'byte 0x90 has no character in windows-1252'],
    ['windows-1252', 0x9d, 'byte 0x9D has no character in windows-1252'],
    ['iso-8859-1', 0x80, 'byte 0x80 is a C1 control code in iso-8859-1, never text'],
    ['iso-8859-9', 0x9f, 'byte 0x9F is a C1 control code in iso-8859-9, never text'],
    ['iso-8859-3', 0xa5, 'byte 0xA5 has no character in iso-8859-3'],
    ['iso-8859-11', 0xdb, 'byte 0xDB has no character in iso-8859-11'],
  ] as const)('rejects %s byte %i at its offset with ENCODING_INVALID', async (encoding, byte, detail) => {
    // Act
    const outcome = await outcomeOf([new TextEncoder().encode('ab,c'), Uint8Array.of(0x64, byte)], encoding);

    // Assess
    expect(outcome).toMatchObject({ code: 'ENCODING_INVALID', location: { byteOffset: 5 } });
    expect(outcome.reason).toContain(detail);
    expect(outcome.reason).toContain('Ask the partner to resend it in');
  });
});

describe('decodeStream in UTF-16', () => {
  it.each([true, false])('strips one byte order mark and keeps a second (little-endian: %s)', async (le) => {
    // Act
    const text = await decodeAll(bytesOf(utf16('\ufeff\ufeffa,€😀', le)), le ? 'utf-16le' : 'utf-16be');

    // Assess
    expect(text).toBe('\ufeffa,€😀');
  });

  it('reads UTF-16 without a byte order mark', async () => {
    // Act / Assess
    expect(await decodeAll(bytesOf(utf16('id,é', false)), 'utf-16be')).toBe('id,é');
  });

  it.each([
    [
      'a lone low surrogate',
      [...utf16('ab', true), 0x00, 0xdc, ...utf16('c', true)],
      4,
      'an unpaired surrogate',
    ],
    [
      'a high surrogate before a letter',
      [...utf16('ab', true), 0x3d, 0xd8, 0x61, 0x00],
      4,
      'an unpaired surrogate',
    ],
    [
      'a high surrogate at the end',
      [...utf16('ab', true), 0x3d, 0xd8],
      4,
      'an unpaired surrogate ends the file',
    ],
    ['an odd number of bytes', [...utf16('abc', true), 0x61], 6, 'an odd number of bytes'],
  ])('rejects %s with ENCODING_INVALID and its offset', async (_name, bytes, byteOffset, detail) => {
    // Act
    const outcome = await outcomeOf([Uint8Array.from(bytes)], 'utf-16le');

    // Assess
    expect(outcome).toMatchObject({ code: 'ENCODING_INVALID', location: { byteOffset } });
    expect(outcome.reason).toContain(detail);
  });
});

describe('decodeStream wherever the chunks are split', () => {
  const cases: [string, DeclaredEncoding, number[]][] = [
    [
      'valid UTF-8 with a BOM and 2-4 byte characters',
      'utf-8',
      [0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a,é€😀\n')],
    ],
    [
      'UTF-8 with an invalid byte after a 4-byte character',
      'utf-8',
      [...new TextEncoder().encode('😀é'), 0xff, 0x61],
    ],
    ['UTF-8 cut inside a 4-byte character', 'utf-8', [...new TextEncoder().encode('ab'), 0xf0, 0x9f, 0x98]],
    ['UTF-8 with a broken 4-byte character', 'utf-8', [0x61, 0xf0, 0x9f, 0x41, 0x42]],
    ['valid UTF-16LE with a BOM and a surrogate pair', 'utf-16le', utf16('\ufeffa,😀é\n', true)],
    ['valid UTF-16BE with a surrogate pair', 'utf-16be', utf16('a😀b', false)],
    ['UTF-16LE with a lone high surrogate', 'utf-16le', [...utf16('😀a', true), 0x3d, 0xd8, 0x62, 0x00]],
    ['UTF-16BE with a lone low surrogate after a pair', 'utf-16be', [...utf16('😀', false), 0xdc, 0x00]],
    ['UTF-16LE with an odd byte count', 'utf-16le', [...utf16('ab😀', true), 0x63]],
    ['windows-1252 text', 'windows-1252', [0x61, 0x80, 0xe9, 0x0a]],
    ['windows-1252 with an undefined byte', 'windows-1252', [0x61, 0x80, 0x81, 0x62]],
    ['iso-8859-1 with a C1 byte', 'iso-8859-1', [0x61, 0xe9, 0x85]],
  ];

  it.each(cases)('gives the same outcome for %s', async (_name, encoding, bytes) => {
    // Prepare
    const all = Uint8Array.from(bytes);
    const expected = await outcomeOf([all], encoding);

    // Act
    const splits = await Promise.all(
      Array.from({ length: all.length + 1 }, (_, at) =>
        outcomeOf([all.subarray(0, at), all.subarray(at)], encoding),
      ),
    );
    const oneByOne = await outcomeOf(
      Array.from(all, (byte) => Uint8Array.of(byte)),
      encoding,
    );

    // Assess
    for (const outcome of splits) expect(outcome).toEqual(expected);
    expect(oneByOne).toEqual(expected);
  });
});
