import {
  JSON_LINES_PART_ENTRIES,
  MATCH_PLAN_ENGINE_LIMITS,
  MAX_MATCH_WINDOW_ROWS,
  PARTS_LISTED_INLINE_MAX,
} from '../../config/limits.ts';
import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import type { ObjectRef, PartsRef } from '../../contracts/events/envelope.ts';
import { DEFAULT_SET_ENGINE_LIMITS, type SetEngineLimits } from '../../lib/duckdb/set-engine.ts';

/** One committed dedup run of one file: where its unique rows are (a `DedupRunRecord`, reduced). */
export interface DedupRunRef {
  readonly fileId: string;
  readonly partner: string;
  readonly dataset: DatasetName;
  readonly businessDate: string;
  readonly schemaV: number;
  /** The validation run whose rows were deduplicated; also the dedup run's id (`DEDUP#<runId>`). */
  readonly runId: string;
  readonly unique: PartsRef;
  /** Rows in the unique parts (RecordsDeduplicated `counts.unique`): sized before a byte is read. */
  readonly uniqueRows: number;
  /** ISO instant; the latest committed run of a file is the one matched. */
  readonly committedAt: string;
}

/** Objects settlement-match reads (unique Parquet parts) and writes (result JSON Lines parts). */
export interface MatchObjects {
  getObject(ref: ObjectRef): Promise<Uint8Array>;
  /** Write one finished part; overwriting the same key on a retry is expected. */
  putObject(ref: ObjectRef, bytes: Uint8Array): Promise<void>;
}

export interface SettlementMatchPorts {
  /** Committed dedup runs of a partner's files of one business date (both datasets), from the file registry. */
  dedupRuns(businessDate: string, partner: string): Promise<readonly DedupRunRef[]>;
  /**
   * A partner's files of one business date (both datasets) validated by their current run but not yet
   * deduplicated, read strongly consistent: each will bring its own RecordsDeduplicated.
   */
  filesAwaitingDedup(businessDate: string, partner: string): Promise<readonly string[]>;
  readonly objects: MatchObjects;
}

/** Names and limits the use case runs with; `side-effects.ts` builds them. */
export interface SettlementMatchConfig {
  /** Silver bucket: unique parts are read from it, result parts written to it. */
  readonly silverBucket: string;
  /** Records and characters per result JSON Lines part. */
  readonly resultPartEntries: number;
  readonly resultPartCharacters: number;
  /** Result parts above this many are announced through a parts manifest (SettlementsMatched v2). */
  readonly partsListedInlineMax: number;
  /** Most rows one window may hold (config/limits.ts `MAX_MATCH_WINDOW_ROWS`). */
  readonly maxWindowRows: number;
  /** The DuckDB session each window or unit is matched in (memory limit, threads). */
  readonly engine: SetEngineLimits;
  /** The DuckDB session a window is planned into units in (`MATCH_PLAN_ENGINE_LIMITS`). */
  readonly planEngine: SetEngineLimits;
}

export const DEFAULT_MATCH_LIMITS = {
  resultPartEntries: JSON_LINES_PART_ENTRIES,
  resultPartCharacters: 16 * 1024 * 1024,
  partsListedInlineMax: PARTS_LISTED_INLINE_MAX,
  maxWindowRows: MAX_MATCH_WINDOW_ROWS,
  engine: DEFAULT_SET_ENGINE_LIMITS,
  planEngine: MATCH_PLAN_ENGINE_LIMITS,
} as const satisfies Partial<SettlementMatchConfig>;
