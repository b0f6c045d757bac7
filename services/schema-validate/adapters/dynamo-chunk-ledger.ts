import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoUnitLedger } from '../../../lib/work-units/dynamo-unit-ledger.ts';
import type { ChunkedRunOrigin, ChunkLedger } from '../chunks/chunk-ledger.ts';
import type { ChunkPlan } from '../chunks/plan-chunks.ts';
import type { ChunkResult } from '../chunks/validate-chunk.ts';
import type { ValidateFileInput } from '../schema-validate.ts';

/** What the planner records once per run for the chunk units. */
interface ChunkedRun {
  readonly file: ValidateFileInput;
  readonly origin: ChunkedRunOrigin;
  readonly plan: ChunkPlan;
}

/**
 * The chunk ledger on the files table (`chunks/chunk-ledger.ts`): the work-unit ledger with the items
 * sk CHUNKS#<runId> (plan, origin, count of results) and sk CHUNK#<runId>#<NNNNN> (a chunk's result).
 */
export function dynamoChunkLedger(doc: DynamoDBDocumentClient, filesTable: string): ChunkLedger {
  const units = dynamoUnitLedger<ChunkedRun, ChunkResult>(doc, filesTable, {
    work: 'CHUNKS',
    result: 'CHUNK',
  });
  return {
    async recordPlan(file, origin, plan) {
      const recorded = await units.recordWork(file.fileId, file.runId, { file, origin, plan });
      return { ...recorded.work, done: recorded.done };
    },
    async plan(fileId, runId) {
      const recorded = await units.work(fileId, runId);
      return recorded && { ...recorded.work, done: recorded.done };
    },
    hasResult: units.hasResult,
    recordResult: units.recordResult,
    results: units.results,
  };
}
