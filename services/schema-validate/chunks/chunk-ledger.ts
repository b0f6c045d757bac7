import type { ValidateFileInput } from '../schema-validate.ts';
import type { ChunkPlan } from './plan-chunks.ts';
import type { ChunkResult } from './validate-chunk.ts';

/** Where a run of a file validated in chunks is coming from: what the joined outcome's event names as its cause. */
export interface ChunkedRunOrigin {
  readonly correlationId: string;
  /** The FileLanded event that started the run. */
  readonly causationId: string;
}

/** A file's chunk plan for one run, as recorded once by the planner. */
export interface RecordedPlan {
  readonly file: ValidateFileInput;
  readonly origin: ChunkedRunOrigin;
  readonly plan: ChunkPlan;
  /** Chunks with a recorded result. */
  readonly done: number;
}

/**
 * Per-file, per-run state of a validation in chunks (DynamoDB offline and in AWS): the plan, recorded once, and
 * one result per chunk, each recorded once and counted once, so a unit redelivered or run twice changes nothing.
 */
export interface ChunkLedger {
  /** Record the plan unless this run has one; returns the recorded plan (the first one, on a repeat). */
  recordPlan(file: ValidateFileInput, origin: ChunkedRunOrigin, plan: ChunkPlan): Promise<RecordedPlan>;
  plan(fileId: string, runId: string): Promise<RecordedPlan | undefined>;
  /** Whether a chunk's result is recorded (its validation need not run again). */
  hasResult(fileId: string, runId: string, index: number): Promise<boolean>;
  /** Record a chunk's result and count it, once; returns how many chunks of the run have results. */
  recordResult(fileId: string, runId: string, result: ChunkResult): Promise<number>;
  /** Every recorded result of the run, in chunk order. */
  results(fileId: string, runId: string): Promise<ChunkResult[]>;
}
