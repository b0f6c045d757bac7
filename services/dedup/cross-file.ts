import { FingerprintDriftError } from './errors.ts';
import type { DedupKeyStore, KeyRecord, RowLineage } from './ports.ts';

/** The first occurrence of a key in this file, not in conflict within it: the row to check against other files. */
export interface Candidate {
  readonly key: string;
  readonly fingerprint: string;
  readonly row: RowLineage;
}

/** What the rest of the partner's history says about a candidate. */
export type CrossFileVerdict =
  /** No other file holds the key: this file owns it (newly claimed, or already ours from an earlier attempt). */
  | { readonly kind: 'unique'; readonly claimed: boolean }
  /** Another file owns the key with the same content. */
  | { readonly kind: 'duplicate'; readonly owner: KeyRecord }
  /** Another file owns the key with different content. */
  | { readonly kind: 'conflict'; readonly owner: KeyRecord };

export interface ClaimContext {
  readonly fileId: string;
  readonly fingerprintVersion: number;
  readonly nowSeconds: number;
  readonly expiresAt: number;
}

/**
 * Classify up to 100 candidates against the `dedup-keys` store in two round trips when nobody races.
 *
 * Primary course:
 * 1. Read every candidate's key at once (BatchGetItem); an expired record counts as absent (TTL deletes late).
 * 2. A key owned by this file is unique again (a retry, a redelivery or a rerun of the same file); one owned
 *    by another file is a duplicate (same fingerprint) or a conflict (different fingerprint).
 * 3. Claim the absent keys in one conditional transaction.
 * 4. When the transaction is cancelled because some keys were claimed meanwhile, classify only those against
 *    the record that won, and claim the rest again (nothing was written by the cancelled transaction).
 */
export async function classifyAcrossFiles(
  candidates: readonly Candidate[],
  store: DedupKeyStore,
  context: ClaimContext,
): Promise<CrossFileVerdict[]> {
  const verdicts: (CrossFileVerdict | undefined)[] = candidates.map(() => undefined);
  const byKey = new Map(candidates.map((candidate, index) => [candidate.key, index]));
  const decide = (index: number, record: KeyRecord) => {
    verdicts[index] = verdictOf(candidates[index] as Candidate, record, context);
  };
  const live = (record: KeyRecord | undefined): record is KeyRecord =>
    record !== undefined && record.expiresAt > context.nowSeconds;

  let pending: number[] = [];
  const existing = await store.getKeys(candidates.map((candidate) => candidate.key));
  candidates.forEach((candidate, index) => {
    const record = existing.get(candidate.key);
    if (live(record)) decide(index, record);
    else pending.push(index);
  });

  // Each round settles at least one key or the store is broken; bound it rather than spin.
  for (let round = 0; pending.length > 0; round += 1) {
    if (round > candidates.length + 2)
      throw new Error('Key claims made no progress; the key store is inconsistent.');
    const outcome = await store.claim(
      pending.map((index) => recordOf(candidates[index] as Candidate, context)),
      context.nowSeconds,
    );
    if (outcome.kind === 'claimed') {
      for (const index of pending) verdicts[index] = { kind: 'unique', claimed: true };
      break;
    }
    if (outcome.lost.size === 0) throw new Error('The key store refused a claim without naming a lost key.');
    const unknown: number[] = [];
    for (const [key, record] of outcome.lost) {
      const index = byKey.get(key);
      if (index === undefined)
        throw new Error(`The key store reported a lost key it was not asked for: ${key}.`);
      if (live(record)) decide(index, record);
      else unknown.push(index);
    }
    const lost = new Set(outcome.lost.keys());
    pending = pending.filter((index) => !lost.has((candidates[index] as Candidate).key));
    if (unknown.length > 0) {
      const reread = await store.getKeys(unknown.map((index) => (candidates[index] as Candidate).key));
      for (const index of unknown) {
        const record = reread.get((candidates[index] as Candidate).key);
        if (live(record)) decide(index, record);
        else pending.push(index);
      }
    }
  }
  return verdicts.map((verdict) => {
    if (!verdict) throw new Error('A candidate was left unclassified.');
    return verdict;
  });
}

function verdictOf(candidate: Candidate, record: KeyRecord, context: ClaimContext): CrossFileVerdict {
  if (record.owner.fileId === context.fileId) {
    if (record.fingerprint !== candidate.fingerprint)
      throw new FingerprintDriftError(candidate.key, context.fileId, candidate.row.rowNumber);
    return { kind: 'unique', claimed: false };
  }
  return record.fingerprint === candidate.fingerprint
    ? { kind: 'duplicate', owner: record }
    : { kind: 'conflict', owner: record };
}

function recordOf(candidate: Candidate, context: ClaimContext): KeyRecord {
  return {
    key: candidate.key,
    fingerprint: candidate.fingerprint,
    fingerprintVersion: context.fingerprintVersion,
    owner: candidate.row,
    expiresAt: context.expiresAt,
  };
}
