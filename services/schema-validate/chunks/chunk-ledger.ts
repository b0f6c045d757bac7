import type { UnitLedger } from '../../../lib/work-units/unit-ledger.ts';
import type { ValidateFileInput } from '../schema-validate.ts';
import type { ChunkPlan } from './plan-chunks.ts';
import type { ChunkResult } from './validate-chunk.ts';

/** Where a run of a file validated in chunks is coming from: what the joined outcome's event names as its cause. */
export interface ChunkedRunOrigin {
  readonly correlationId: string;
  /** The FileLanded event that started the run. */
  readonly causationId: string;
}

/** What the planner records once per run for the chunk units. */
export interface ChunkedRun {
  readonly file: ValidateFileInput;
  readonly origin: ChunkedRunOrigin;
  readonly plan: ChunkPlan;
}

/**
 * Per-file, per-run state of a validation in chunks (DynamoDB offline and in AWS): the run's plan, recorded once,
 * and one result per chunk, each recorded once and counted once, so a unit redelivered or run twice changes
 * nothing (`lib/work-units/`).
 */
export type ChunkLedger = UnitLedger<ChunkedRun, ChunkResult>;
