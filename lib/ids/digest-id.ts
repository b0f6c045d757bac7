import { createHash } from 'node:crypto';

/**
 * finledger's deterministic ids: a prefix naming what the id is, then the first 24 hex digits of a SHA-256 of the
 * facts it names (equal facts, equal id). The card-number scanner knows this shape (`lib/card-data`): about one id
 * in a few hundred holds a Luhn-valid 13-19 digit run by chance, which must not be masked or reported as a card.
 */
export const DIGEST_ID_PREFIXES = ['f', 'recon', 'mr', 'ready', 'seg'] as const;
export type DigestIdPrefix = (typeof DIGEST_ID_PREFIXES)[number];

/** Hex digits after the prefix. */
export const DIGEST_ID_HEX_DIGITS = 24;

/** @example digestId('recon', 'f_…:VALIDATED:run_…') // 'recon_3beefd210a0af137a26171ff' */
export function digestId(prefix: DigestIdPrefix, facts: string): string {
  return `${prefix}_${createHash('sha256').update(facts).digest('hex').slice(0, DIGEST_ID_HEX_DIGITS)}`;
}
