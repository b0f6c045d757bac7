import { createHash } from 'node:crypto';

/**
 * A UUID (RFC 9562 layout, version 5 bits) derived from a seed, so a retried decision produces the same event id
 * and the outbox's `attribute_not_exists(pk)` turns the retry into a no-op.
 * @example uuidFromSeed('file-landing:rejected:bucket/key:etag') // stable across calls
 */
export function uuidFromSeed(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Short stable digest of a text (names quarantined objects that could not be hashed). */
export function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
