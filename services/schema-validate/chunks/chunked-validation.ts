import { runUnit } from '../../../lib/work-units/run-unit.ts';
import { type WorkUnit, WorkUnitSchema } from '../../../lib/work-units/work-unit.ts';
import type { SchemaValidateConfig, SchemaValidatePorts } from '../ports.ts';
import type { ValidateFileInput, ValidationOutcome } from '../schema-validate.ts';
import type { ChunkedRunOrigin, ChunkLedger } from './chunk-ledger.ts';
import { joinChunks } from './join-chunks.ts';
import type { ChunkPlan } from './plan-chunks.ts';
import { validateChunk } from './validate-chunk.ts';
import type { ChunkingConfig } from './validate-in-chunks.ts';

/** One work unit: validate chunk `index` of a run of a file; the range and the file come from the ledger. */
export const ChunkUnitSchema = WorkUnitSchema;
export type ChunkUnit = WorkUnit;

/** What validating in chunks needs beyond the whole-file ports: the ledger, the unit queue, the sizes. */
export interface ChunkedValidationDeps {
  readonly ledger: ChunkLedger;
  /** Send units to the chunk worker's queue; resolves once the queue accepted every one. */
  dispatch(units: readonly ChunkUnit[]): Promise<void>;
  readonly chunking: ChunkingConfig;
}

/**
 * Record the plan (once per run: a redelivered FileLanded finds the first one) and send one unit per chunk. Every
 * unit is sent again on a repeat: a unit whose chunk has a result does nothing but look for the join.
 */
export async function dispatchChunks(
  file: ValidateFileInput,
  origin: ChunkedRunOrigin,
  plan: ChunkPlan,
  deps: ChunkedValidationDeps,
): Promise<number> {
  const recorded = await deps.ledger.recordWork(file.fileId, file.runId, { file, origin, plan });
  await deps.dispatch(
    recorded.work.plan.chunks.map((chunk) => ({
      fileId: file.fileId,
      runId: file.runId,
      index: chunk.index,
    })),
  );
  return recorded.work.plan.chunks.length;
}

/** A unit's end: the joined outcome when this unit completed the set (to be committed), else nothing yet. */
export type UnitOutcome =
  | {
      readonly kind: 'joined';
      readonly file: ValidateFileInput;
      readonly origin: ChunkedRunOrigin;
      readonly outcome: ValidationOutcome;
    }
  | { readonly kind: 'waiting'; readonly done: number; readonly chunks: number };

/**
 * Validate one chunk unless its result is recorded, record it (counted once), and when every chunk has a result,
 * join them (`lib/work-units/run-unit.ts`).
 */
export async function validateUnit(
  unit: ChunkUnit,
  ports: SchemaValidatePorts,
  config: SchemaValidateConfig,
  ledger: ChunkLedger,
): Promise<UnitOutcome> {
  const end = await runUnit({ scope: unit.fileId, runId: unit.runId, index: unit.index }, ledger, {
    noun: 'chunk',
    recovery: 'rerun the file',
    count: (run) => run.plan.chunks.length,
    run: (run, index) =>
      validateChunk(
        {
          file: run.file,
          chunk: run.plan.chunks[index] as ChunkPlan['chunks'][number],
          last: index === run.plan.chunks.length - 1,
        },
        ports,
        config,
      ),
  });
  if (end.kind === 'waiting') return { kind: 'waiting', done: end.done, chunks: end.units };
  const { file, origin } = end.work;
  return { kind: 'joined', file, origin, outcome: joinChunks(file, end.results, config) };
}
