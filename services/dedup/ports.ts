import type { ObjectRef } from '../../contracts/events/envelope.ts';

/** Where a key's accepted row came from: enough to find it in silver and in the raw file. */
export interface RowLineage {
  readonly fileId: string;
  readonly runId: string;
  /** Physical line of the row in its file (the header is line 1). */
  readonly rowNumber: number;
  readonly businessDate: string;
  /** SHA-256 of the raw file the row came from. */
  readonly sha256: string;
}

/** One natural key accepted into silver, as the `dedup-keys` table holds it. */
export interface KeyRecord {
  /** `KEY#<dataset>#<partner>#<natural id>`. */
  readonly key: string;
  /** sha256 of the canonical record (record-identity.ts). */
  readonly fingerprint: string;
  readonly fingerprintVersion: number;
  readonly owner: RowLineage;
  /** Epoch seconds after which the key is forgotten (DynamoDB TTL). */
  readonly expiresAt: number;
}

/** The result of claiming keys in one transaction. */
export type ClaimOutcome =
  | { readonly kind: 'claimed' }
  /**
   * Some keys were taken meanwhile (another file won the race), so nothing was written. Each lost key maps to
   * the record that won it, or undefined when the store could not say (read it again).
   */
  | { readonly kind: 'lost'; readonly lost: ReadonlyMap<string, KeyRecord | undefined> };

/** The cross-file key store (DynamoDB `dedup-keys`). */
export interface DedupKeyStore {
  /** Current records of up to 100 distinct keys, read consistently; keys never claimed are absent. */
  getKeys(keys: readonly string[]): Promise<ReadonlyMap<string, KeyRecord>>;
  /**
   * Claim up to 100 distinct keys at once, each only if no record exists or the existing one expired before
   * `nowSeconds`. All or nothing: when any key is refused, none is written.
   */
  claim(records: readonly KeyRecord[], nowSeconds: number): Promise<ClaimOutcome>;
}

/** Objects dedup reads (silver parts) and writes (unique parts, quarantine entries). */
export interface DedupObjects {
  /** A whole object; silver parts are bounded by their row count (`partRows`). */
  getObject(ref: ObjectRef): Promise<Uint8Array>;
  /** Write one finished part; overwriting the same key on a retry is expected. */
  putObject(ref: ObjectRef, bytes: Uint8Array): Promise<void>;
}

export interface DedupPorts {
  readonly objects: DedupObjects;
  readonly keys: DedupKeyStore;
  readonly now: () => Date;
}

/** Limits and names the use case runs with; `side-effects.ts` reads them from the environment. */
export interface DedupConfig {
  readonly buckets: { readonly silver: string; readonly quarantine: string };
  /** Days a claimed key is remembered (cross-day window). */
  readonly retentionDays: number;
  /** Rows per unique Parquet part. */
  readonly partRows: number;
  /** Entries and characters per quarantine JSON Lines part. */
  readonly quarantinePartEntries: number;
  readonly quarantinePartCharacters: number;
  /** Keys per BatchGetItem / TransactWriteItems (DynamoDB allows at most 100 of each). */
  readonly keyBatchSize: number;
  /** Key batches classified concurrently; results are still emitted in file order. */
  readonly claimConcurrency: number;
}

/** DynamoDB's limit for both BatchGetItem keys and TransactWriteItems actions. */
export const MAX_KEY_BATCH = 100;

/** Defaults for everything but names. */
export const DEFAULT_DEDUP_LIMITS = {
  retentionDays: 400,
  partRows: 100_000,
  quarantinePartEntries: 10_000,
  quarantinePartCharacters: 16 * 1024 * 1024,
  keyBatchSize: MAX_KEY_BATCH,
  claimConcurrency: 4,
} as const satisfies Partial<DedupConfig>;
