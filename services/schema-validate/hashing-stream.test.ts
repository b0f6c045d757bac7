import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashingStream } from './hashing-stream.ts';

describe('hashingStream', () => {
  it('passes bytes through and gives their sha256 only once fully read', async () => {
    // Prepare
    const parts = [new Uint8Array([1, 2]), new Uint8Array([3])];
    const hashed = hashingStream(
      (async function* () {
        yield* parts;
      })(),
    );

    // Act
    const seen: number[] = [];
    const before = hashed.digest();
    for await (const bytes of hashed.stream) seen.push(...bytes);

    // Assess
    expect(before).toBeNull();
    expect(seen).toEqual([1, 2, 3]);
    expect(hashed.digest()).toBe(
      createHash('sha256')
        .update(new Uint8Array([1, 2, 3]))
        .digest('hex'),
    );
  });
});
