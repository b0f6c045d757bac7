import { appendFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BusEvent } from './bus-events.ts';

/** The bus's archive: every event the bus accepted, in arrival order. */
export interface BusArchive {
  /** The JSON Lines file, when persistent. */
  readonly path?: string;
  append(event: BusEvent): Promise<void>;
  read(): Promise<BusEvent[]>;
}

/**
 * An append-only archive: one JSON event per line in `path`, or in memory when `path` is omitted.
 * Appends are serialised so concurrent PutEvents calls never interleave partial lines.
 */
export function createArchive(path?: string): BusArchive {
  if (!path) return memoryArchive();
  const file = path;
  let tail: Promise<void> | undefined;
  // Prepared on first append only, so a reader (the CLI, while the runtime runs) never truncates the file.
  const prepared = () => {
    tail ??= mkdir(dirname(file), { recursive: true }).then(() => dropTornLine(file));
    return tail;
  };
  return {
    path: file,
    append(event) {
      const write = prepared().then(() => appendFile(file, `${JSON.stringify(event)}\n`, 'utf8'));
      tail = write.catch(() => {});
      return write;
    },
    async read() {
      await tail?.catch(() => {});
      return parseLines(file, await readOrEmpty(file));
    },
  };
}

/**
 * An archive that keeps some events apart: those `isRestricted` selects go to `restricted` (a store with the
 * rules of `restricted/`: deletable, expiring, card data allowed), every other to `main`. Reading returns both,
 * the main archive's events first, so replay and the report see every event.
 */
export function routedArchive(
  main: BusArchive,
  restricted: BusArchive,
  isRestricted: (event: BusEvent) => boolean,
): BusArchive {
  return {
    ...(main.path ? { path: main.path } : {}),
    append: (event) => (isRestricted(event) ? restricted : main).append(event),
    read: async () => [...(await main.read()), ...(await restricted.read())],
  };
}

function memoryArchive(): BusArchive {
  const events: BusEvent[] = [];
  return {
    async append(event) {
      events.push(structuredClone(event));
    },
    async read() {
      return structuredClone(events);
    },
  };
}

/**
 * A crash mid-append leaves a line without its newline. That event was never acknowledged to its producer
 * (which retries), so the fragment is dropped before appending, instead of being glued to the next event.
 */
async function dropTornLine(file: string): Promise<void> {
  const text = await readOrEmpty(file);
  if (text === '' || text.endsWith('\n')) return;
  await truncate(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8'));
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

function parseLines(file: string, text: string): BusEvent[] {
  const lines = text.split('\n');
  const events: BusEvent[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line) as BusEvent);
    } catch (error) {
      // A torn last line is what a crash mid-append leaves; anything else is corruption worth stopping on.
      if (index === lines.length - 1) return;
      throw new Error(
        `Bus archive ${file} line ${index + 1} is not JSON. Fix or remove that line, then retry.`,
        {
          cause: error,
        },
      );
    }
  });
  return events;
}
