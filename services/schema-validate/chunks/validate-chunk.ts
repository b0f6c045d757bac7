import { findPartner } from '../../../config/partners.ts';
import { findDataset } from '../../../contracts/datasets/catalog.ts';
import { isTrailerRecord } from '../../../contracts/datasets/trailer.ts';
import type { RejectionCode } from '../../../contracts/events/file-rejected.ts';
import type { ControlTotals } from '../../../contracts/events/file-validated.ts';
import { maskCardNumbers } from '../../../lib/card-data/card-numbers.ts';
import { readChunkRecords, readRecords } from '../csv/read-records.ts';
import { FileRejectionError, type RejectionLocation, UnknownContractError } from '../errors.ts';
import type { SchemaValidateConfig, SchemaValidatePorts } from '../ports.ts';
import {
  type RowCounts,
  routeRecord,
  startRun,
  streamRecords,
  type ValidateFileInput,
} from '../schema-validate.ts';
import type { ChunkRange } from './plan-chunks.ts';

/** One unit of a file validated in chunks: the file as FileLanded announced it, and its byte range. */
export interface ChunkTask {
  readonly file: ValidateFileInput;
  readonly chunk: ChunkRange;
  /** Whether this is the file's last chunk: its last record is the trailer candidate. */
  readonly last: boolean;
}

/** What one chunk found; the join adds them up in chunk order (`join-chunks.ts`). */
export interface ChunkResult {
  readonly index: number;
  readonly counts: RowCounts;
  readonly computed: ControlTotals;
  readonly validTotals: ControlTotals;
  readonly silverParts: readonly string[];
  readonly quarantineParts: readonly string[];
  /** The last chunk's final record when it is a trailer (fields masked), else null. */
  readonly trailer: { readonly line: number; readonly fields: readonly string[] } | null;
  /** Why the file cannot be accepted, found in this chunk: the first in chunk order decides the file. */
  readonly rejection: {
    readonly code: RejectionCode;
    readonly reason: string;
    readonly location: RejectionLocation | null;
  } | null;
}

/**
 * Validate one chunk of a file exactly as `validateFile` validates that stretch of the whole file: the first
 * chunk checks the file start and the header, every chunk routes its records to its own silver and quarantine
 * parts (`chunk-NNNNN/` under the run's prefixes, so a retry overwrites the same keys), and only the last one holds
 * its final record back as the trailer candidate. File-level decisions wait for the join.
 */
export async function validateChunk(
  task: ChunkTask,
  ports: SchemaValidatePorts,
  config: SchemaValidateConfig,
): Promise<ChunkResult> {
  const { file, chunk } = task;
  const partner = findPartner(file.partner);
  if (!partner?.datasets[file.dataset])
    throw new Error(
      `Partner ${file.partner} is not configured for ${file.dataset}, yet its file was planned in chunks: the configuration changed mid-run. Rerun the file.`,
    );
  const contract = findDataset(file.dataset, file.schemaV);
  if (!contract) throw new UnknownContractError(file.dataset, file.schemaV);
  const run = startRun(file, contract, partner, ports, config, chunk.index);
  let trailer: ChunkResult['trailer'] = null;
  let rejection: ChunkResult['rejection'] = null;
  try {
    const object = await ports.openObject(file.raw, { start: chunk.start, end: chunk.end });
    const options = { maxRecordSize: config.maxRecordSize };
    const records =
      chunk.index === 0
        ? readRecords(object.body, partner.encoding, options)
        : readChunkRecords(
            object.body,
            partner.encoding,
            { byteOffset: chunk.start, firstLine: chunk.firstLine },
            options,
          );
    await streamRecords(run, records, { header: chunk.index === 0 });
    const last = run.held;
    run.held = undefined;
    if (last && task.last && isTrailerRecord(last.fields))
      trailer = { line: last.line, fields: last.fields.map((field) => maskCardNumbers(field)) };
    else if (last) await routeRecord(run, last);
    await run.silver.flush();
  } catch (error) {
    if (!(error instanceof FileRejectionError)) throw error;
    if (run.held) await routeRecord(run, run.held);
    rejection = { code: error.code, reason: error.message, location: error.location };
  }
  await run.quarantine.flush();
  return {
    index: chunk.index,
    counts: { ...run.counts },
    computed: run.computed.toJSON(),
    validTotals: run.validTotals.toJSON(),
    silverParts: rejection ? [] : [...run.silver.keys],
    quarantineParts: [...run.quarantine.partKeys],
    trailer,
    rejection,
  };
}
