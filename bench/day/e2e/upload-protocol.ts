import type { CallTally } from './request-counter.ts';

/** What the upload worker starts with. */
export interface UploaderOptions {
  /** The runtime's S3 endpoint (fauxqs). */
  readonly endpoint: string;
  readonly region: string;
  /** Physical name of the landing bucket. */
  readonly bucket: string;
  /** Physical bucket names to the topology's names, for the request counts. */
  readonly bucketNames: Readonly<Record<string, string>>;
}

/** One file to land: its key in the landing bucket and where it is on disk. */
export interface FileToLand {
  readonly landingKey: string;
  readonly path: string;
}

export type UploaderRequest =
  | { readonly kind: 'upload'; readonly id: number; readonly files: readonly FileToLand[] }
  | { readonly kind: 'stop' };

export type UploaderReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'uploaded'; readonly id: number; readonly error?: string }
  | { readonly kind: 'stopped'; readonly tallies: CallTally[] };
