import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { partNumber } from '../../lib/parquet/part-keys.ts';

/**
 * Where a gold writer keeps each finished part until the partition is published: nothing is written to the gold
 * bucket before every check and gate has passed, yet a day's parts need not fit in memory.
 */
export interface GoldPartSpool {
  /** Keep the bytes of part `index` and return how to read them back. Synchronous: the writer is. */
  keep(index: number, bytes: Uint8Array): () => Promise<Uint8Array>;
}

/**
 * Parts held in memory: for tests and small partitions.
 * @example new GoldPartitionWriter(target, { spool: memorySpool })
 */
export const memorySpool: GoldPartSpool = {
  keep: (_index, bytes) => async () => bytes,
};

/**
 * Parts written to a local folder (the set engine's scratch folder, Lambda's /tmp) and read back one at a time
 * when uploaded, so memory holds one part, whatever the day's size.
 * @example new GoldPartitionWriter(target, { spool: folderSpool(engine.folder) })
 */
export function folderSpool(folder: string): GoldPartSpool {
  return {
    keep(index, bytes) {
      const path = join(folder, `gold-part-${partNumber(index)}.parquet`);
      writeFileSync(path, bytes);
      return () => readFile(path);
    },
  };
}
