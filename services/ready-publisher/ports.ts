import type { DatasetGates } from '../../config/ready-gates.ts';
import type { DatasetName } from '../../contracts/datasets/dataset-contract.ts';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import type { MatchCountsPayload } from '../../contracts/events/settlements-matched.ts';
import type { SetEngineLimits } from '../../lib/duckdb/set-engine.ts';
import type { DayListing } from '../../lib/file-registry/file-registry-store.ts';

/** What one evaluation is about: a dataset and business date. */
export interface ReadyScope {
  readonly dataset: DatasetName;
  readonly businessDate: string;
}

/** One committed reconciliation of a partner (the `RECON#…/RUN#…` item, reduced). */
export interface ReconRun {
  readonly reconRunId: string;
  readonly partner: string;
  readonly balanced: boolean;
  readonly breaks: number;
  readonly inputs: readonly { readonly fileId: string; readonly dedupRunId: string | null }[];
  readonly committedAt: string;
}

/** One committed settlement-match run of a partner as of a date (the `MATCH#…/RUN#…` item, reduced). */
export interface MatchRun {
  readonly matchRunId: string;
  readonly partner: string;
  readonly counts: MatchCountsPayload;
  /** Files it matched over, each with the validation run of its rows. */
  readonly inputs: readonly { readonly fileId: string; readonly runId: string }[];
  readonly committedAt: string;
}

/** What publishing needs from the world: the registry's facts of a day, and silver in, gold out. */
export interface ReadyPorts {
  listDay(businessDate: string, filter: { dataset: DatasetName }): Promise<DayListing>;
  reconRuns(scope: ReadyScope, partner: string): Promise<readonly ReconRun[]>;
  matchRuns(partner: string, asOf: string): Promise<readonly MatchRun[]>;
  /** True when a publication of this run was committed before (its gold is complete). */
  isPublished(scope: ReadyScope, runId: string): Promise<boolean>;
  getObject(ref: ObjectRef): Promise<Uint8Array>;
  /** Write a gold object unless the key exists (`created` or `exists`); gold keys are never overwritten. */
  putObjectOnce(object: {
    key: string;
    bytes: Uint8Array;
    contentType: string;
  }): Promise<'created' | 'exists'>;
}

/** Names and rules the use case runs with; `side-effects.ts` builds them. */
export interface ReadyConfig {
  readonly goldBucket: string;
  /** Readiness gates (config/ready-gates.ts in production). */
  readonly gates: readonly DatasetGates[];
  /** Most curated rows one gold partition may hold (config/limits.ts `MAX_GOLD_PARTITION_ROWS`). */
  readonly maxGoldRows: number;
  /** Memory and threads of the DuckDB session that sorts gold (`DEFAULT_SET_ENGINE_LIMITS`). */
  readonly engine: SetEngineLimits;
}
