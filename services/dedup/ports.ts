import { JSON_LINES_PART_ENTRIES, PARTS_LISTED_INLINE_MAX, SILVER_PART_ROWS } from '../../config/limits.ts';
import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import { DEFAULT_SET_ENGINE_LIMITS, type SetEngineLimits } from '../../lib/duckdb/set-engine.ts';
import { KEY_HISTORY_BUCKET_DIGITS } from './key-history/key-buckets.ts';

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

/** One natural key accepted into silver, as a key-history segment row holds it. */
export interface KeyRecord {
  /** `KEY#<dataset>#<partner>#<natural id>`. */
  readonly key: string;
  /** sha256 of the canonical record (record-identity.ts). */
  readonly fingerprint: string;
  readonly fingerprintVersion: number;
  readonly owner: RowLineage;
  /** Epoch seconds after which the key is forgotten (compaction drops it; readers ignore it at once). */
  readonly expiresAt: number;
}

/** Whose keys one history holds: a dataset of one partner (keys never collide across partners). */
export interface HistoryOwner {
  readonly dataset: DatasetName;
  readonly partner: string;
}

/** One bucket of a history: the keys whose sha256 starts with `bucket` (`key-history/key-buckets.ts`). */
export interface HistoryScope extends HistoryOwner {
  readonly bucket: string;
}

/** One immutable Parquet file of key records (`key-history/segment-keys.ts` names it). */
export interface HistorySegment {
  /** Object key in the silver bucket. */
  readonly key: string;
  readonly rows: number;
}

/** The segments that make up a scope's key history at one version; version 0 is the empty history. */
export interface HistoryManifest {
  readonly version: number;
  readonly segments: readonly HistorySegment[];
}

/** One bucket's swap: its new segment list, when its manifest is still at `expectedVersion`. */
export interface ManifestSwap {
  readonly scope: HistoryScope;
  readonly expectedVersion: number;
  readonly segments: readonly HistorySegment[];
}

/**
 * The atomic pointer to each bucket of a key history (one DynamoDB item per bucket). A dedup run classifies against
 * the versions it read and publishes its new keys by swapping in each bucket's next version: a swap that finds
 * another version refuses, so two files racing for a key can never both accept it. Both calls take many buckets at
 * once (a file touches up to 16), each bucket read and swapped on its own terms.
 */
export interface HistoryManifests {
  /** The current manifests of these buckets, read strongly consistent, in the same order. */
  read(scopes: readonly HistoryScope[]): Promise<HistoryManifest[]>;
  /** Per swap, in order: true when it took place, false when another run had moved that bucket first. */
  swap(swaps: readonly ManifestSwap[]): Promise<boolean[]>;
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
  readonly history: HistoryManifests;
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
  /** Duplicates or conflicts parts above this many are announced through a parts manifest (RecordsDeduplicated v2). */
  readonly partsListedInlineMax: number;
  /** Memory and threads of the DuckDB session that classifies the file. */
  readonly engine: SetEngineLimits;
  /** Segments a history bucket may reach before a commit merges them into one (dropping expired keys). */
  readonly compactAtSegments: number;
  /**
   * A bucket holding fewer records than this is merged into one segment on every commit: rewriting 100K records
   * (~5 MB) costs a fraction of a second, and up to 16 of them per file stay cheap, while a run stages one object
   * per small bucket instead of one per earlier file.
   */
  readonly compactBelowRows: number;
  /** Key records a dedup run stages at once: the buckets of a pass hold at most this many (one bucket may hold more). */
  readonly historyRowsPerPass: number;
  /** Width of the history's buckets in hex digits of sha256(key): a stored layout (`KEY_HISTORY_BUCKET_DIGITS`). */
  readonly historyBucketDigits: number;
  /**
   * Swaps refused by racing runs before giving up (the record is retried). Each refusal is another run's
   * success, so a burst of N files of one partner needs at most N; 200 is a day's files.
   */
  readonly maxHistoryAttempts: number;
}

/** Defaults for everything but names. */
export const DEFAULT_DEDUP_LIMITS = {
  retentionDays: 400,
  partRows: SILVER_PART_ROWS,
  quarantinePartEntries: JSON_LINES_PART_ENTRIES,
  quarantinePartCharacters: 16 * 1024 * 1024,
  partsListedInlineMax: PARTS_LISTED_INLINE_MAX,
  engine: DEFAULT_SET_ENGINE_LIMITS,
  compactAtSegments: 32,
  compactBelowRows: 100_000,
  historyBucketDigits: KEY_HISTORY_BUCKET_DIGITS,
  historyRowsPerPass: 20_000_000,
  maxHistoryAttempts: 200,
} as const satisfies Partial<DedupConfig>;
