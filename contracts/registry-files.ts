import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { registryFiles } from './registry.ts';

/** Write the generated registry under `root`; returns the paths written. */
export async function writeRegistry(root: string): Promise<string[]> {
  const files = registryFiles();
  for (const file of files) {
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.content);
  }
  return files.map((file) => file.path);
}

/** Paths whose committed content differs from what the zod sources generate (missing counts as stale). */
export async function staleRegistryFiles(root: string): Promise<string[]> {
  const stale: string[] = [];
  for (const file of registryFiles()) {
    const committed = await readFile(join(root, file.path), 'utf8').catch(() => undefined);
    if (committed !== file.content) stale.push(file.path);
  }
  return stale;
}
