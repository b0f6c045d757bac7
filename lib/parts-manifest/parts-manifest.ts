import { createHash } from 'node:crypto';
import type { ObjectRef, PartsRef } from '../../contracts/events/envelope.ts';
import {
  isPartsManifestRef,
  PARTS_MANIFEST_FORMAT,
  type PartsManifestRef,
  PartsManifestSchema,
  type PartsOrManifestRef,
} from '../../contracts/events/parts-manifest-ref.ts';
import { PartsManifestError } from './errors.ts';

/** Write one object; overwriting the same key with the same bytes on a retry is expected. */
export type PutObject = (ref: ObjectRef, bytes: Uint8Array) => Promise<void>;
/** Read one whole object. */
export type GetObject = (ref: ObjectRef) => Promise<Uint8Array>;

/**
 * File name of a manifest under its parts' folder. The leading `_` is what Hive, Spark and Athena skip when they
 * read a folder, and no part is named so (parts are `rows-…`/`part-…`); listings of the folder skip it too.
 */
export const PARTS_MANIFEST_NAME = '_parts-manifest.json';

/**
 * Object key of the manifest of the parts under `prefix`.
 * @example partsManifestKey('quarantine/dedup/…/duplicates/') // 'quarantine/dedup/…/duplicates/_parts-manifest.json'
 */
export const partsManifestKey = (prefix: string): string =>
  `${prefix}${prefix.endsWith('/') ? '' : '/'}${PARTS_MANIFEST_NAME}`;

/** Whether an object key is a parts manifest (to skip when listing a folder of parts). */
export const isPartsManifestKey = (key: string): boolean =>
  key === PARTS_MANIFEST_NAME || key.endsWith(`/${PARTS_MANIFEST_NAME}`);

/** The manifest's bytes: fixed key order, no whitespace, so the same parts always give the same object. */
export function partsManifestBytes(ref: PartsRef): Uint8Array {
  const manifest = {
    format: PARTS_MANIFEST_FORMAT,
    bucket: ref.bucket,
    prefix: ref.prefix,
    parts: ref.parts,
  };
  return new TextEncoder().encode(`${JSON.stringify(manifest)}\n`);
}

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Write the manifest of listed parts under their prefix and return the ref that points to it. Deterministic: a
 * retried producer writes the same bytes under the same key, so its event (or a redelivered one) still matches.
 * @example const ref = await writePartsManifest({ bucket, prefix, parts }, objects.putObject)
 */
export async function writePartsManifest(ref: PartsRef, putObject: PutObject): Promise<PartsManifestRef> {
  const bytes = partsManifestBytes(ref);
  const manifest = partsManifestKey(ref.prefix);
  await putObject({ bucket: ref.bucket, key: manifest }, bytes);
  return {
    bucket: ref.bucket,
    prefix: ref.prefix,
    manifest,
    parts: ref.parts.length,
    sha256: sha256Of(bytes),
  };
}

/**
 * The ref an event carries: the parts listed when there are at most `listedMax`, else a manifest written for them.
 * @example await listedOrManifest(duplicates, PARTS_LISTED_INLINE_MAX, objects.putObject)
 */
export async function listedOrManifest(
  ref: PartsRef,
  listedMax: number,
  putObject: PutObject,
): Promise<PartsOrManifestRef> {
  return ref.parts.length <= listedMax ? ref : writePartsManifest(ref, putObject);
}

/**
 * Every part key of a ref, in order: listed ones as they are, a manifest's read and checked against the ref (its
 * sha256, its count, its bucket and prefix). Throws `PartsManifestError` rather than return a partial list.
 * @example for (const key of await readPartKeys(event.data.duplicates, getObject)) …
 */
export async function readPartKeys(ref: PartsOrManifestRef, getObject: GetObject): Promise<string[]> {
  if (!isPartsManifestRef(ref)) return [...ref.parts];
  const refuse = (problem: string, cause?: unknown) =>
    new PartsManifestError(ref.bucket, ref.manifest, problem, cause === undefined ? undefined : { cause });
  let bytes: Uint8Array;
  try {
    bytes = await getObject({ bucket: ref.bucket, key: ref.manifest });
  } catch (error) {
    throw refuse('could not be read', error);
  }
  const sha256 = sha256Of(bytes);
  if (sha256 !== ref.sha256) throw refuse(`has sha256 ${sha256}, not the ${ref.sha256} its event names`);
  let parsed: ReturnType<typeof PartsManifestSchema.safeParse>;
  try {
    parsed = PartsManifestSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
  } catch (error) {
    throw refuse('is not JSON', error);
  }
  if (!parsed.success) throw refuse(`is not a ${PARTS_MANIFEST_FORMAT} manifest (${parsed.error.message})`);
  const manifest = parsed.data;
  if (manifest.parts.length !== ref.parts)
    throw refuse(`lists ${manifest.parts.length} parts, not the ${ref.parts} its event names`);
  if (manifest.bucket !== ref.bucket || manifest.prefix !== ref.prefix)
    throw refuse(
      `is of s3://${manifest.bucket}/${manifest.prefix}, not of its event's s3://${ref.bucket}/${ref.prefix}`,
    );
  return manifest.parts;
}
