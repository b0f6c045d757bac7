import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoUnitLedger } from '../../../lib/work-units/dynamo-unit-ledger.ts';
import type { ChunkedRun, ChunkLedger } from '../chunks/chunk-ledger.ts';
import type { ChunkResult } from '../chunks/validate-chunk.ts';

/**
 * The chunk ledger on the files table: the work-unit ledger with the items sk CHUNKS#<runId> (the plan, the
 * origin, the count of results) and sk CHUNK#<runId>#<NNNNN> (a chunk's result).
 */
export const dynamoChunkLedger = (doc: DynamoDBDocumentClient, filesTable: string): ChunkLedger =>
  dynamoUnitLedger<ChunkedRun, ChunkResult>(doc, filesTable, { work: 'CHUNKS', result: 'CHUNK' });
