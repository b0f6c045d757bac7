import { findPartner } from '../../../config/partners.ts';
import { findDataset } from '../../../contracts/datasets/catalog.ts';
import { quarantinePrefix, silverPrefix } from '../../../lib/parquet/part-keys.ts';
import { TotalsAccumulator } from '../../../lib/totals/control-totals.ts';
import { FileRejectionError, UnknownContractError } from '../errors.ts';
import type { SchemaValidateConfig } from '../ports.ts';
import {
  decideEnd,
  type RowCounts,
  rejected,
  type ValidateFileInput,
  type ValidationOutcome,
  validated,
} from '../schema-validate.ts';
import type { ChunkResult } from './validate-chunk.ts';

/**
 * The file's outcome from its chunks' results, as `validateFile` decides it for the whole file: the first chunk in
 * file order that refused the file decides (its rows and those of the chunks before it are what was read), else
 * the counts and totals add up across chunks (`rowsIn = valid + quarantined` holds for each, so for the sum) and
 * the whole-file checks run once: rows present, the trailer against every chunk's totals, the quarantine rate.
 */
export function joinChunks(
  file: ValidateFileInput,
  results: readonly ChunkResult[],
  config: SchemaValidateConfig,
): ValidationOutcome {
  const ordered = [...results].sort((a, b) => a.index - b.index);
  ordered.forEach((result, position) => {
    if (result.index !== position)
      throw new Error(
        `Chunk ${position} of file ${file.fileId} has no result: the join waits for every chunk.`,
      );
  });
  const contract = findDataset(file.dataset, file.schemaV);
  if (!contract) throw new UnknownContractError(file.dataset, file.schemaV);
  const spec = findPartner(file.partner)?.datasets[file.dataset];
  if (!spec)
    throw new Error(`Partner ${file.partner} is not configured for ${file.dataset}: rerun the file.`);
  const identity = { ...file, dataset: contract.name };
  const quarantineOf = (chunks: readonly ChunkResult[]) => {
    const parts = chunks.flatMap((chunk) => chunk.quarantineParts);
    return parts.length === 0
      ? null
      : { bucket: config.buckets.quarantine, prefix: quarantinePrefix(identity), parts };
  };
  const refusing = ordered.findIndex((result) => result.rejection !== null);
  if (refusing !== -1) {
    const read = ordered.slice(0, refusing + 1);
    const rejection = ordered[refusing]?.rejection;
    if (!rejection) throw new Error('unreachable: the refusing chunk has a rejection');
    return rejected(
      file,
      new FileRejectionError(rejection.code, rejection.reason, rejection.location),
      sumCounts(read),
      quarantineOf(read),
    );
  }
  const counts = sumCounts(ordered);
  const computed = new TotalsAccumulator();
  const validTotals = new TotalsAccumulator();
  for (const result of ordered) {
    computed.addTotals(result.computed);
    validTotals.addTotals(result.validTotals);
  }
  const trailer = ordered.at(-1)?.trailer ?? undefined;
  try {
    const declared = decideEnd(
      counts,
      computed,
      spec,
      trailer && { line: trailer.line, fields: [...trailer.fields] },
      config,
    );
    return validated(file, {
      counts,
      silver: {
        bucket: config.buckets.silver,
        prefix: silverPrefix(identity),
        parts: ordered.flatMap((result) => result.silverParts),
      },
      quarantine: quarantineOf(ordered),
      declared,
      computed,
      validTotals,
    });
  } catch (error) {
    if (!(error instanceof FileRejectionError)) throw error;
    return rejected(file, error, counts, quarantineOf(ordered));
  }
}

function sumCounts(results: readonly ChunkResult[]): RowCounts {
  return results.reduce(
    (sum, result) => ({
      rowsIn: sum.rowsIn + result.counts.rowsIn,
      valid: sum.valid + result.counts.valid,
      quarantined: sum.quarantined + result.counts.quarantined,
    }),
    { rowsIn: 0, valid: 0, quarantined: 0 },
  );
}
