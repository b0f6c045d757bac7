import { resources } from '../resources.ts';

/** Offline only: the local runtime links the PanHmacKey secret from this variable (topology.secrets). */
export const PAN_HMAC_KEY_VARIABLE = 'FINLEDGER_PAN_HMAC_KEY';

/**
 * The stage's card HMAC key (secret PanHmacKey): at least 16 bytes, the same across runs and services, so a card
 * fingerprint or an object-key digest means the same thing everywhere. Fails fast telling the operator how to set it.
 * @example const key = panHmacKey() // in a service's side-effects, never at import
 */
export function panHmacKey(read: () => string = () => resources.secret('PanHmacKey')): string {
  const key = read();
  if (Buffer.byteLength(key) < 16) {
    throw new Error(
      `Secret PanHmacKey must hold at least 16 bytes: set it with \`sst secret set PanHmacKey <value> --stage <stage>\` (offline: ${PAN_HMAC_KEY_VARIABLE}).`,
    );
  }
  return key;
}
