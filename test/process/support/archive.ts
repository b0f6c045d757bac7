import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createArchive } from '../../../runtime/bus-archive.ts';
import type { BusEvent } from '../../../runtime/bus-events.ts';

/** Every event in a state folder's bus archive (`<stateDir>/bus-archive/*.jsonl`), read from disk. */
export async function readArchiveFromDisk(stateDir: string): Promise<BusEvent[]> {
  const folder = join(stateDir, 'bus-archive');
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.jsonl')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const events: BusEvent[] = [];
  for (const name of names) events.push(...(await createArchive(join(folder, name)).read()));
  return events;
}

/** How many archived events (replays excluded) each detail-type has. */
export function countByType(events: readonly BusEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    if (event['replay-name']) continue;
    counts[event['detail-type']] = (counts[event['detail-type']] ?? 0) + 1;
  }
  return counts;
}
