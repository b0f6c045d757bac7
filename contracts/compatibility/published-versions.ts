import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryFile } from '../registry.ts';
import { contentHash, contractVersions } from './registry-check.ts';

/**
 * Where the published contract versions are frozen: registry path → SHA-256 of the schema as published. A version
 * listed here may never change (consumers in production read it); a change is a new version. `finledger schemas
 * publish` adds the versions not listed yet and never rewrites an entry; removing or editing one is a reviewed,
 * deliberate act that `schemas check` otherwise refuses.
 */
export const PUBLISHED_VERSIONS_PATH = 'contracts/published-versions.json';

interface PublishedFile {
  readonly note: string;
  readonly versions: Record<string, string>;
}

const NOTE =
  'Frozen contract versions (sha256 of the generated schema). Written by `finledger schemas publish`; never edit an entry: add a version.';

/** The published versions under `root`; none when the file does not exist yet. */
export async function readPublishedVersions(root: string): Promise<Record<string, string>> {
  const text = await readFile(join(root, PUBLISHED_VERSIONS_PATH), 'utf8').catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  return text === undefined ? {} : (JSON.parse(text) as PublishedFile).versions;
}

/** Record every contract version not published yet; returns the paths added (existing entries are kept as they are). */
export async function publishNewVersions(root: string, files: readonly RegistryFile[]): Promise<string[]> {
  const versions = { ...(await readPublishedVersions(root)) };
  const added: string[] = [];
  const content = new Map(files.map((file) => [file.path, file.content]));
  for (const contract of contractVersions(files)) {
    if (contract.path in versions) continue;
    versions[contract.path] = contentHash(content.get(contract.path) ?? '');
    added.push(contract.path);
  }
  const sorted = Object.fromEntries(
    Object.entries(versions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const file: PublishedFile = { note: NOTE, versions: sorted };
  await writeFile(join(root, PUBLISHED_VERSIONS_PATH), `${JSON.stringify(file, null, 2)}\n`);
  return added;
}
