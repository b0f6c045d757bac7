import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FileState } from './settle.ts';

/**
 * Every regular file under `folder` (recursively) with its size and times. A file or folder that vanishes or cannot
 * be listed between two calls is simply absent: the next poll sees the folder as it is then.
 */
export async function snapshotFolder(folder: string): Promise<Map<string, FileState>> {
  const snapshot = new Map<string, FileState>();
  await collect(folder, snapshot);
  return snapshot;
}

async function collect(dir: string, into: Map<string, FileState>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await collect(path, into);
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile())
      into.set(path, { sizeBytes: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs });
  }
}

/**
 * The landing key of a dropped file: `inbound/` and its path under the watched folder, with `/` separators.
 * @example landingKeyFor('/x/landing', '/x/landing/acme-bank/transactions/2026-11-19/a.csv') // 'inbound/acme-bank/…/a.csv'
 */
export function landingKeyFor(folder: string, path: string): string {
  return `inbound/${relative(folder, path).split(sep).join('/')}`;
}
