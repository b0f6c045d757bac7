import { containsCardNumber, keyedDigest, maskCardNumbers } from '../../lib/card-data/card-numbers.ts';

/**
 * How an object key is written into idempotency keys, records and events. A key is partner-chosen text: when it
 * holds a card number it is written masked, with a keyed digest (HMAC) of the whole key so two deliveries under it
 * are still told apart and recognised again; any other key is written as it is.
 * @example recordableKey('inbound/x/4111111111111111.csv', key) // 'inbound/x/************1111.csv#hmac=3f9c…'
 */
export function recordableKey(key: string, hmacKey: string): string {
  if (!containsCardNumber(key)) return key;
  return `${maskCardNumbers(key)}#hmac=${keyedDigest(key, hmacKey).slice(0, 32)}`;
}
