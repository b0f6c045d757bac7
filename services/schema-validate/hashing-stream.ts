import { createHash } from 'node:crypto';

/** A byte stream passed through unchanged while its SHA-256 is computed. */
export interface HashingStream {
  readonly stream: AsyncIterable<Uint8Array>;
  /** Hex digest once the stream has been read to its end; null before. */
  digest(): string | null;
}

/**
 * Hash bytes as they flow, so the raw copy can be checked against the sha256 landing registered without a
 * second read.
 * @example const hashed = hashingStream(body); for await (const bytes of hashed.stream) …; hashed.digest()
 */
export function hashingStream(body: AsyncIterable<Uint8Array>): HashingStream {
  const hash = createHash('sha256');
  let digest: string | null = null;
  async function* pass(): AsyncGenerator<Uint8Array> {
    for await (const bytes of body) {
      hash.update(bytes);
      yield bytes;
    }
    digest = hash.digest('hex');
  }
  return { stream: pass(), digest: () => digest };
}
