import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type RegistryFile, registryFiles } from '../registry.ts';
import { readPublishedVersions } from './published-versions.ts';
import { checkRegistry, contentHash } from './registry-check.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const V1_PATH = 'events/FileLanded/v1.schema.json';

type Field = Record<string, unknown>;
type Schema = Field & { properties: Record<string, Field>; required?: string[] };

/** The registry with FileLanded v1 copied to v2 after `change` edits the copy. */
function withV2(change: (v2: Schema) => void): RegistryFile[] {
  const files = registryFiles();
  const v1 = files.find((file) => file.path === V1_PATH);
  const v2 = JSON.parse(v1?.content ?? '{}') as Schema;
  v2.properties.version = { type: 'number', const: 2 };
  change(v2);
  return [
    ...files,
    { path: 'events/FileLanded/v2.schema.json', content: `${JSON.stringify(v2, null, 2)}\n` },
  ];
}

const data = (schema: Schema): Schema => schema.properties.data as Schema;
/** Every committed version published; the FileLanded v2 a test adds is not. */
const published = (files: readonly RegistryFile[]) =>
  Object.fromEntries(
    files
      .filter(
        (file) => file.path.endsWith('.schema.json') && file.path !== 'events/FileLanded/v2.schema.json',
      )
      .map((file) => [file.path, contentHash(file.content)]),
  );

describe('checkRegistry', () => {
  it('passes the committed registry: every version compatible, published and unchanged', async () => {
    // Act
    const check = checkRegistry(registryFiles(), await readPublishedVersions(root));

    // Assess
    expect(check).toEqual({ breaking: [], edited: [], unpublished: [] });
  });

  it.each([
    [
      'a removed field',
      (v2: Schema) => {
        delete data(v2).properties.sizeBytes;
        data(v2).required = data(v2).required?.filter((name) => name !== 'sizeBytes');
      },
      { path: 'data.sizeBytes', rule: 'FIELD_REMOVED' },
    ],
    [
      'a narrowed type',
      (v2: Schema) => {
        data(v2).properties.sizeBytes = { type: 'integer', minimum: 1, maximum: 1024 };
      },
      { path: 'data.sizeBytes', rule: 'NARROWED' },
    ],
    [
      'a changed type',
      (v2: Schema) => {
        data(v2).properties.fileId = { type: 'integer' };
      },
      { path: 'data.fileId', rule: 'TYPE_CHANGED' },
    ],
    [
      'a new required field',
      (v2: Schema) => {
        data(v2).properties.region = { type: 'string' };
        data(v2).required?.push('region');
      },
      { path: 'data.region', rule: 'REQUIRED_FIELD_ADDED' },
    ],
  ])('refuses a new version with %s, naming the field', (_, change, expected) => {
    // Prepare
    const files = withV2(change);

    // Act
    const check = checkRegistry(files, published(files));

    // Assess
    expect(check.breaking).toHaveLength(1);
    expect(check.breaking[0]).toMatchObject({ name: 'FileLanded', older: 1, newer: 2 });
    expect(check.breaking[0]?.changes).toContainEqual(expect.objectContaining(expected));
    expect(check.unpublished).toEqual(['events/FileLanded/v2.schema.json']);
  });

  it('accepts a new version that only adds an optional field', () => {
    // Prepare
    const files = withV2((v2) => {
      data(v2).properties.region = { type: 'string' };
    });

    // Act
    const check = checkRegistry(files, published(files));

    // Assess
    expect(check.breaking).toEqual([]);
    expect(check.edited).toEqual([]);
  });

  it('checks transitively: v3 is held to v1 as well as v2', () => {
    // Prepare: v2 and v3 both raise lineCount's minimum, so v3 equals v2 there, yet it still breaks v1.
    const files = withV2(() => {});
    const v3 = JSON.parse(files[files.length - 1]?.content ?? '{}') as Schema;
    v3.properties.version = { type: 'number', const: 3 };
    data(v3).properties.lineCount = { type: 'integer', minimum: 1 };
    const v2 = files[files.length - 1] as RegistryFile;
    const v2Schema = JSON.parse(v2.content) as Schema;
    data(v2Schema).properties.lineCount = { type: 'integer', minimum: 1 };
    const all = [
      ...files.slice(0, -1),
      { path: v2.path, content: JSON.stringify(v2Schema) },
      { path: 'events/FileLanded/v3.schema.json', content: JSON.stringify(v3) },
    ];

    // Act
    const check = checkRegistry(all, published(all));

    // Assess: v2 breaks v1; v3 is compatible with v2 yet still breaks v1.
    expect(check.breaking.map((item) => `${item.older}→${item.newer}`)).toEqual(['1→2', '1→3']);
  });

  it('refuses an edit to a published version', () => {
    // Prepare: FileLanded v1 gains a required field in place.
    const files = registryFiles().map((file) => {
      if (file.path !== V1_PATH) return file;
      const v1 = JSON.parse(file.content) as Schema;
      data(v1).properties.region = { type: 'string' };
      data(v1).required?.push('region');
      return { path: file.path, content: JSON.stringify(v1) };
    });

    // Act
    const check = checkRegistry(files, published(registryFiles()));

    // Assess
    expect(check.edited).toEqual([V1_PATH]);
  });
});
