import { type FileHandle, open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ObjectBody, WriteMethod } from '../../lib/aws/write-object.ts';
import { describeLandingError, type LandingProblem, watchLines } from './log-lines.ts';
import type { FileState } from './settle.ts';

/** One settled file in the watched folder. */
export interface DroppedFile {
  readonly path: string;
  readonly landingKey: string;
  readonly state: FileState;
}

/** What landing one dropped file did. The file itself is never moved nor deleted. */
export type DropOutcome =
  | { readonly kind: 'landed'; readonly method: WriteMethod }
  | { readonly kind: 'over-cap' }
  | { readonly kind: 'failed'; readonly problem: LandingProblem }
  /** Uploaded, but the file changed meanwhile: what landed may be a mix, and the new state lands next. */
  | { readonly kind: 'changed' };

/** Upload a body to a landing key (`landObject` on the runtime). */
export type Upload = (landingKey: string, body: ObjectBody) => Promise<WriteMethod>;

/**
 * Land one settled file, streamed from disk (memory stays at a few upload parts whatever its size).
 *
 * Primary course:
 * 1. Refuse it unread when it is over the landing cap.
 * 2. Open it (a vanished or unreadable file fails here) and stream it to its landing key.
 * 3. Check it did not change while it was read.
 * Any error becomes a `failed` outcome with its cause and next step; nothing here throws.
 */
export async function landDroppedFile(
  file: DroppedFile,
  capBytes: number,
  upload: Upload,
): Promise<DropOutcome> {
  if (file.state.sizeBytes > capBytes) return { kind: 'over-cap' };
  let handle: FileHandle | undefined;
  try {
    handle = await open(file.path, 'r');
    const method = await upload(file.landingKey, handle.createReadStream({ highWaterMark: 1024 * 1024 }));
    // Gone after it was read whole is landed; changed meanwhile is not.
    const after = await stat(file.path).catch(() => undefined);
    const unchanged =
      !after ||
      (after.size === file.state.sizeBytes &&
        after.mtimeMs === file.state.mtimeMs &&
        after.ctimeMs === file.state.ctimeMs);
    return unchanged ? { kind: 'landed', method } : { kind: 'changed' };
  } catch (error) {
    const mentions = [
      file.path,
      file.landingKey,
      file.landingKey.replace(/^inbound\//, ''),
      basename(file.path),
    ];
    return { kind: 'failed', problem: describeLandingError(error, mentions) };
  } finally {
    // The stream closes the handle once read; this covers an upload that failed before reading.
    await handle?.close().catch(() => undefined);
  }
}

/** The console line for one outcome: landings are info, refusals and failures are problems. */
export function outcomeLine(
  outcome: DropOutcome,
  path: string,
  sizeBytes: number,
  capBytes: number,
): { level: 'info' | 'problem'; line: string } {
  switch (outcome.kind) {
    case 'landed':
      return { level: 'info', line: watchLines.landed(path, sizeBytes, outcome.method) };
    case 'changed':
      return { level: 'info', line: watchLines.changedWhileUploading(path) };
    case 'over-cap':
      return { level: 'problem', line: watchLines.overCap(path, sizeBytes, capBytes) };
    case 'failed':
      return { level: 'problem', line: watchLines.failed(path, outcome.problem) };
  }
}
