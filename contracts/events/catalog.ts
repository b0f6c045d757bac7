import type { z } from 'zod';
import type { EventDefinition } from './envelope.ts';
import { FileLandedV1 } from './file-landed.ts';
import { FileRejectedV1 } from './file-rejected.ts';
import { FileValidatedV1 } from './file-validated.ts';
import { RecordsDeduplicatedV1 } from './records-deduplicated.ts';

/** Every event version finledger publishes. The registry, the bus rules and validation read this list. */
export const eventCatalog: readonly EventDefinition<string, number, z.ZodType>[] = [
  FileLandedV1,
  FileValidatedV1,
  FileRejectedV1,
  RecordsDeduplicatedV1,
];

/** Find the definition of a type and version, or undefined when no contract exists. */
export function findEvent(
  type: string,
  version: number,
): EventDefinition<string, number, z.ZodType> | undefined {
  return eventCatalog.find((event) => event.type === type && event.version === version);
}

export { FileLandedV1, FileRejectedV1, FileValidatedV1, RecordsDeduplicatedV1 };
