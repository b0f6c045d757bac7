import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ObjectRef } from '../../contracts/events/envelope.ts';
import { PartsManifestError } from './errors.ts';
import {
  isPartsManifestKey,
  listedOrManifest,
  partsManifestKey,
  readPartKeys,
  writePartsManifest,
} from './parts-manifest.ts';

const prefix = 'quarantine/dedup/dataset=transactions/source=acme-bank/file_id=f_x/duplicates/';
const ref = {
  bucket: 'finledger-quarantine',
  prefix,
  parts: Array.from({ length: 5 }, (_, index) => `${prefix}unit-0000${index % 2}/rows-0000${index}.jsonl`),
};

/** An in-memory bucket with the `getObject`/`putObject` shape the services' ports have. */
function memoryObjects() {
  const objects = new Map<string, Uint8Array>();
  const at = (object: ObjectRef) => `${object.bucket}/${object.key}`;
  return {
    objects,
    putObject: async (object: ObjectRef, bytes: Uint8Array) => {
      objects.set(at(object), bytes);
    },
    getObject: async (object: ObjectRef) => {
      const bytes = objects.get(at(object));
      if (!bytes) throw new Error(`NoSuchKey ${at(object)}`);
      return bytes;
    },
  };
}

describe('writePartsManifest and readPartKeys', () => {
  it('round-trips every part key in order through a manifest under the prefix', async () => {
    // Prepare
    const store = memoryObjects();

    // Act
    const manifest = await writePartsManifest(ref, store.putObject);
    const keys = await readPartKeys(manifest, store.getObject);

    // Assess
    expect(manifest).toMatchObject({
      bucket: ref.bucket,
      prefix,
      manifest: `${prefix}_parts-manifest.json`,
      parts: 5,
    });
    expect(keys).toEqual(ref.parts);
  });

  it('writes the same bytes and ref again for the same parts (a retried producer)', async () => {
    // Prepare
    const store = memoryObjects();
    const first = await writePartsManifest(ref, store.putObject);
    const bytes = store.objects.get(`${ref.bucket}/${first.manifest}`);

    // Act
    const second = await writePartsManifest({ ...ref, parts: [...ref.parts] }, store.putObject);

    // Assess
    expect(second).toEqual(first);
    expect(store.objects.get(`${ref.bucket}/${first.manifest}`)).toEqual(bytes);
  });

  it('returns listed parts as they are, without reading anything', async () => {
    // Act
    const keys = await readPartKeys(ref, () => Promise.reject(new Error('not expected')));

    // Assess
    expect(keys).toEqual(ref.parts);
  });

  it.each([
    [
      'a manifest with other bytes',
      { sha256: 'f'.repeat(64) },
      /has sha256 .* not the f{64} its event names/,
    ],
    ['a manifest of another count', { parts: 4 }, /lists 5 parts, not the 4 its event names/],
    ['a missing manifest', { manifest: `${prefix}gone.json` }, /could not be read/],
  ])('refuses %s, saying to rerun the date', async (_name, change, message) => {
    // Prepare
    const store = memoryObjects();
    const manifest = await writePartsManifest(ref, store.putObject);
    // The count check is reached only when the bytes match: keep the real sha256 unless the case changes it.
    const changed = { ...manifest, ...change };

    // Act
    const reading = readPartKeys(changed, store.getObject);

    // Assess
    await expect(reading).rejects.toBeInstanceOf(PartsManifestError);
    await expect(reading).rejects.toThrow(message);
    await expect(reading).rejects.toThrow(/finledger rerun/);
  });

  it('refuses a manifest whose content is not a parts manifest, even when its sha256 matches', async () => {
    // Prepare
    const store = memoryObjects();
    const manifest = await writePartsManifest(ref, store.putObject);
    const other = new TextEncoder().encode('{"format":"something-else"}\n');
    await store.putObject({ bucket: ref.bucket, key: manifest.manifest }, other);
    const sha256 = createHash('sha256').update(other).digest('hex');

    // Act
    const reading = readPartKeys({ ...manifest, sha256 }, store.getObject);

    // Assess
    await expect(reading).rejects.toThrow(/is not a finledger-parts-manifest\/v1 manifest/);
  });
});

describe('listedOrManifest', () => {
  it.each([
    [5, 'listed'],
    [4, 'manifest'],
  ])('with at most %i keys listed, gives a %s ref for 5 parts', async (listedMax, kind) => {
    // Prepare
    const store = memoryObjects();

    // Act
    const result = await listedOrManifest(ref, listedMax, store.putObject);

    // Assess
    expect('manifest' in result ? 'manifest' : 'listed').toBe(kind);
    expect(store.objects.size).toBe(kind === 'manifest' ? 1 : 0);
    expect(await readPartKeys(result, store.getObject)).toEqual(ref.parts);
  });
});

describe('partsManifestKey', () => {
  it.each([
    ['a/b/', 'a/b/_parts-manifest.json'],
    ['a/b', 'a/b/_parts-manifest.json'],
  ])('names the manifest of %s inside it, a name no part has', (folder, key) => {
    expect(partsManifestKey(folder)).toBe(key);
    expect(isPartsManifestKey(key)).toBe(true);
    expect(isPartsManifestKey(`${folder}rows-00000.jsonl`)).toBe(false);
  });
});
