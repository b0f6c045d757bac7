import type { z } from 'zod';
import { DatasetBlockedV1 } from './dataset-blocked.ts';
import { DatasetReadyV1 } from './dataset-ready.ts';
import type { EventDefinition } from './envelope.ts';
import { FileLandedV1 } from './file-landed.ts';
import { FileRejectedV1 } from './file-rejected.ts';
import { FileValidatedV1 } from './file-validated.ts';
import { ReconciliationCompletedV1 } from './reconciliation-completed.ts';
import { RecordsDeduplicatedV1, RecordsDeduplicatedV2 } from './records-deduplicated.ts';
import { SettlementsMatchedV1, SettlementsMatchedV2 } from './settlements-matched.ts';

/**
 * Every event version finledger defines. The registry, the bus rules and validation read this list.
 * Contracts come first: SettlementsMatched, ReconciliationCompleted, DatasetReady and DatasetBlocked are
 * reviewed here before their producers are wired into the pipeline.
 */
export const eventCatalog: readonly EventDefinition<string, number, z.ZodType>[] = [
  FileLandedV1,
  FileValidatedV1,
  FileRejectedV1,
  RecordsDeduplicatedV1,
  RecordsDeduplicatedV2,
  SettlementsMatchedV1,
  SettlementsMatchedV2,
  ReconciliationCompletedV1,
  DatasetReadyV1,
  DatasetBlockedV1,
];

/** Find the definition of a type and version, or undefined when no contract exists. */
export function findEvent(
  type: string,
  version: number,
): EventDefinition<string, number, z.ZodType> | undefined {
  return eventCatalog.find((event) => event.type === type && event.version === version);
}

export {
  DatasetBlockedV1,
  DatasetReadyV1,
  FileLandedV1,
  FileRejectedV1,
  FileValidatedV1,
  ReconciliationCompletedV1,
  RecordsDeduplicatedV1,
  RecordsDeduplicatedV2,
  SettlementsMatchedV1,
  SettlementsMatchedV2,
};
