import type { PartsRef } from '../../../contracts/events/envelope.ts';
import { readSilverPart } from '../../../lib/parquet/silver-part-reader.ts';
import type { ConflictEntry, DuplicateEntry } from '../dedup-outputs.ts';
import { type memoryObjects, requireDataset } from './fakes.ts';

type Objects = ReturnType<typeof memoryObjects>;

/** Natural ids and line numbers of the unique rows, in part order. */
export async function uniqueRows(
  objects: Objects,
  ref: PartsRef,
): Promise<{ id: string; rowNumber: number }[]> {
  const rows: { id: string; rowNumber: number }[] = [];
  for (const key of ref.parts) {
    const bytes = objects.get(ref.bucket, key);
    if (!bytes) throw new Error(`missing part ${key}`);
    const part = await readSilverPart(bytes, requireDataset('transactions'));
    for (let index = 0; index < part.length; index += 1)
      rows.push({ id: String(part.values(index)[0]), rowNumber: part.rowNumber(index) });
  }
  return rows;
}

/** Every entry of JSON Lines parts (or none for a null ref). */
export function entries<Entry extends DuplicateEntry | ConflictEntry>(
  objects: Objects,
  ref: PartsRef | null,
): Entry[] {
  if (!ref) return [];
  return ref.parts.flatMap((key) => {
    const bytes = objects.get(ref.bucket, key);
    if (!bytes) throw new Error(`missing part ${key}`);
    return new TextDecoder()
      .decode(bytes)
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Entry);
  });
}
