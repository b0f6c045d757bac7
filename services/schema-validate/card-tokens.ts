import { createHmac } from 'node:crypto';
import type { CardTokens } from '../../contracts/datasets/dataset-contract.ts';

/**
 * The silver stand-ins for a PAN: BIN (first 6), last 4 and a keyed HMAC-SHA256 fingerprint. The key lives
 * outside the data lake, so a fingerprint cannot be reversed by enumerating card numbers.
 * @example const tokens = cardTokenizer(key); tokens('4111111111111111').last4 // '1111'
 */
export function cardTokenizer(hmacKey: string | Uint8Array): (pan: string) => CardTokens {
  if (hmacKey.length < 16) throw new Error('The card fingerprint HMAC key must be at least 16 bytes.');
  return (pan) => ({
    bin: pan.slice(0, 6),
    last4: pan.slice(-4),
    fingerprint: createHmac('sha256', hmacKey).update(pan).digest('hex'),
  });
}
