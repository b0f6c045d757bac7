import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Ids of archived events whose delivery to every matched rule has finished (delivered, dead-lettered or dropped).
 * PutEvents archives an event before delivering it; a process killed in between leaves an accepted event no queue
 * received, where EventBridge would keep retrying the target for up to 24 h. The journal lets the next start
 * deliver exactly those again (consumers are idempotent, so a delivery repeated after a kill between the send and
 * the mark is absorbed).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
 */
export interface DeliveryJournal {
  markDelivered(eventId: string): Promise<void>;
  /** The journalled ids, or null when no journal was ever started (a state folder older than the journal). */
  delivered(): Promise<ReadonlySet<string> | null>;
  /** Start the journal with these ids (none for a new state folder). */
  start(eventIds: readonly string[]): Promise<void>;
}

/** A journal in `path` (one id per line; a torn last line only means one more idempotent delivery), or in memory. */
export function createDeliveryJournal(path?: string): DeliveryJournal {
  if (!path) {
    const ids = new Set<string>();
    return {
      markDelivered: async (eventId) => {
        ids.add(eventId);
      },
      delivered: async () => ids,
      start: async () => {},
    };
  }
  const file = path;
  let tail: Promise<unknown> = mkdir(dirname(file), { recursive: true });
  return {
    markDelivered(eventId) {
      const write = tail.then(() => appendFile(file, `${eventId}\n`, 'utf8'));
      tail = write.catch(() => {});
      return write;
    },
    async delivered() {
      await tail;
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      return text === null ? null : new Set(text.split('\n').filter((line) => line.length > 0));
    },
    start(eventIds) {
      const write = tail.then(() => writeFile(file, eventIds.map((id) => `${id}\n`).join(''), 'utf8'));
      tail = write.catch(() => {});
      return write;
    },
  };
}
