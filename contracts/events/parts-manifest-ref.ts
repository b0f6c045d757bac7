import { z } from 'zod';
import { type PartsRef, PartsRefSchema } from './envelope.ts';

/** `format` of a parts manifest object: readers refuse any other. */
export const PARTS_MANIFEST_FORMAT = 'finledger-parts-manifest/v1';

/**
 * Claim check for output in too many parts to list in an event: the folder, and one object under it (the manifest)
 * that lists every part's full key in order. `parts` and `sha256` let a reader refuse a manifest that is not the
 * one the event announced (overwritten, truncated).
 */
export const PartsManifestRefSchema = z
  .object({
    bucket: z.string().min(1),
    prefix: z.string().min(1),
    /** Object key of the manifest, in `bucket`. */
    manifest: z.string().min(1),
    /** How many part keys the manifest lists. */
    parts: z.number().int().positive(),
    /** SHA-256 (hex) of the manifest object's bytes. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type PartsManifestRef = z.infer<typeof PartsManifestRefSchema>;

/** Parts listed in the event, or listed in a manifest the event points to (strict: never both, never neither). */
export const PartsOrManifestRefSchema = z.union([PartsRefSchema, PartsManifestRefSchema]);
export type PartsOrManifestRef = PartsRef | PartsManifestRef;

/** The manifest object's content (JSON): the ref's bucket and prefix, and every part key in order. */
export const PartsManifestSchema = z
  .object({
    format: z.literal(PARTS_MANIFEST_FORMAT),
    bucket: z.string().min(1),
    prefix: z.string().min(1),
    parts: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type PartsManifest = z.infer<typeof PartsManifestSchema>;

/** Whether a ref points to a manifest rather than listing its parts. */
export const isPartsManifestRef = (ref: PartsOrManifestRef): ref is PartsManifestRef => 'manifest' in ref;
