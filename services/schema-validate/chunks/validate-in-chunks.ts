import { findPartner } from '../../../config/partners.ts';
import { mapInFlight } from '../../../lib/async/map-in-flight.ts';
import { RawObjectChangedError } from '../errors.ts';
import type { SchemaValidateConfig, SchemaValidatePorts } from '../ports.ts';
import {
  rejected,
  tooLarge,
  type ValidateFileInput,
  type ValidationOutcome,
  validateFile,
} from '../schema-validate.ts';
import { joinChunks } from './join-chunks.ts';
import { type ChunkPlan, canValidateInChunks, planChunks } from './plan-chunks.ts';
import { validateChunk } from './validate-chunk.ts';

/** When a file is validated in chunks, and how big they are. */
export interface ChunkingConfig {
  /** Files above this many bytes are validated in chunks; smaller ones whole, in one pass. */
  readonly chunkAboveBytes: number;
  /** About this many bytes per chunk (cut after a record). */
  readonly chunkBytes: number;
}

/** How one file will be validated: whole, in the chunks of a plan, or refused before a row is read. */
export type FilePlan =
  | { readonly kind: 'whole' }
  | { readonly kind: 'chunks'; readonly plan: ChunkPlan }
  | { readonly kind: 'refused'; readonly outcome: ValidationOutcome };

/**
 * Decide how to validate a landed file. Small files, unknown partners (validateFile refuses them) and UTF-16 files
 * are validated whole; a larger one is refused by size before a byte is read, as a whole file is, else scanned once
 * for record boundaries (`planChunks`), its bytes held against the digest landing registered.
 */
export async function planFile(
  input: ValidateFileInput,
  ports: SchemaValidatePorts,
  config: SchemaValidateConfig,
  chunking: ChunkingConfig,
): Promise<FilePlan> {
  const partner = findPartner(input.partner);
  if (!partner?.datasets[input.dataset] || !canValidateInChunks(partner.encoding)) return { kind: 'whole' };
  const object = await ports.openObject(input.raw);
  if (object.sizeBytes <= chunking.chunkAboveBytes) return { kind: 'whole' };
  const refuse = (error: Parameters<typeof rejected>[1]): FilePlan => ({
    kind: 'refused',
    outcome: rejected(input, error, { rowsIn: 0, valid: 0, quarantined: 0 }, null),
  });
  if (object.sizeBytes > config.maxObjectBytes)
    return refuse(tooLarge(object.sizeBytes, config.maxObjectBytes));
  const plan = await planChunks(object.body, chunking.chunkBytes);
  if (plan.sha256 !== input.sha256) throw new RawObjectChangedError(input.fileId, input.sha256, plan.sha256);
  return { kind: 'chunks', plan };
}

/**
 * Validate a file in one process, in chunks when `planFile` says so, `concurrency` chunks at a time: what the
 * fan-out does across invocations, with the same plan, chunk validation and join. The result equals
 * `validateFile`'s for the same file (silver rows, quarantine entries, counts, totals, outcome).
 */
export async function validateInChunks(
  input: ValidateFileInput,
  ports: SchemaValidatePorts,
  config: SchemaValidateConfig,
  chunking: ChunkingConfig,
  concurrency = 2,
): Promise<ValidationOutcome> {
  const planned = await planFile(input, ports, config, chunking);
  if (planned.kind === 'whole') return validateFile(input, ports, config);
  if (planned.kind === 'refused') return planned.outcome;
  const { chunks } = planned.plan;
  const { results } = await mapInFlight(chunks, concurrency, (chunk) =>
    validateChunk({ file: input, chunk, last: chunk.index === chunks.length - 1 }, ports, config),
  );
  return joinChunks(input, results, config);
}
