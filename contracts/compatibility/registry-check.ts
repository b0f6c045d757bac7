import { createHash } from 'node:crypto';
import type { RegistryFile } from '../registry.ts';
import { type BreakingChange, breakingChanges } from './json-schema-compatibility.ts';

/** One versioned contract schema of the registry. */
export interface ContractVersion {
  readonly kind: 'event' | 'dataset';
  /** Event type or dataset name. */
  readonly name: string;
  readonly version: number;
  readonly path: string;
  readonly schema: Record<string, unknown>;
}

/** Everything `schemas check` finds; the registry passes when `breaking` and `edited` are empty. */
export interface RegistryCheck {
  /** A version that breaks an earlier one (BACKWARD_TRANSITIVE: every earlier version, not just the last). */
  readonly breaking: readonly {
    readonly name: string;
    readonly older: number;
    readonly newer: number;
    readonly changes: readonly BreakingChange[];
  }[];
  /** Published versions whose generated schema is no longer the one published (`published-versions.json`). */
  readonly edited: readonly string[];
  /** Versions not published yet: `npm run contracts` records them. */
  readonly unpublished: readonly string[];
}

const SCHEMA_PATH = /^(events|contracts\/datasets)\/([^/]+)\/v(\d+)\.schema\.json$/;

/** The registry's versioned contract schemas, by name then version. */
export function contractVersions(files: readonly RegistryFile[]): ContractVersion[] {
  return files
    .flatMap((file) => {
      const match = SCHEMA_PATH.exec(file.path);
      if (!match) return [];
      const [, folder, name = '', version] = match;
      return [
        {
          kind: folder === 'events' ? ('event' as const) : ('dataset' as const),
          name,
          version: Number(version),
          path: file.path,
          schema: JSON.parse(file.content) as Record<string, unknown>,
        },
      ];
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version));
}

/** An event's `version` constant names the version itself: it is not a change between versions. */
function comparable(contract: ContractVersion): Record<string, unknown> {
  if (contract.kind !== 'event') return contract.schema;
  const { version: _version, ...properties } = contract.schema.properties as Record<string, unknown>;
  return { ...contract.schema, properties };
}

/**
 * SHA-256 of a registry file's content, as `published-versions.json` records it.
 * @example contentHash('{}\n') // 'ca3d163b…'
 */
export const contentHash = (content: string): string => createHash('sha256').update(content).digest('hex');

/**
 * Check every contract version against all its earlier versions (BACKWARD_TRANSITIVE) and every published
 * version against the content it was published with (published versions are frozen: change means a new version).
 */
export function checkRegistry(
  files: readonly RegistryFile[],
  published: Readonly<Record<string, string>>,
): RegistryCheck {
  const versions = contractVersions(files);
  const breaking: RegistryCheck['breaking'][number][] = [];
  for (const newer of versions)
    for (const older of versions) {
      if (older.kind !== newer.kind || older.name !== newer.name || older.version >= newer.version) continue;
      const changes = breakingChanges(comparable(older), comparable(newer));
      if (changes.length > 0)
        breaking.push({ name: newer.name, older: older.version, newer: newer.version, changes });
    }
  const content = new Map(files.map((file) => [file.path, file.content]));
  return {
    breaking,
    edited: Object.entries(published)
      .filter(([path, hash]) => {
        const current = content.get(path);
        return current === undefined || contentHash(current) !== hash;
      })
      .map(([path]) => path)
      .sort(),
    unpublished: versions.map((version) => version.path).filter((path) => !(path in published)),
  };
}
