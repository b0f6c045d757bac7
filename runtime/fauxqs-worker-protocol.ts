/**
 * What crosses the MessagePort between the runtime (`fauxqs-host.ts`) and fauxqs on its worker thread
 * (`fauxqs-worker.ts`). Types only: both sides must stay erasable TypeScript, so the worker loads under tsx,
 * vitest and plain Node alike.
 */
import type { FauxqsServer, startFauxqs } from 'fauxqs';

/** The options `startFauxqs` is called with in the worker (plain data: they are structured-cloned). */
export type FauxqsOptions = NonNullable<Parameters<typeof startFauxqs>[0]>;

/** fauxqs' non-destructive view of one queue (ready, delayed and in-flight messages, copied). */
export type InspectedQueue = NonNullable<ReturnType<FauxqsServer['inspectQueue']>>;

/**
 * An object fauxqs stored (a spy event of status 'uploaded'). `seq` numbers uploads in the order the worker
 * saw them, from 1: each is posted once, so it identifies an upload on the host side.
 */
export interface S3Upload {
  readonly seq: number;
  readonly bucket: string;
  readonly key: string;
  /** When fauxqs stored it (epoch ms). */
  readonly timestamp: number;
}

/** Host → worker. */
export type HostRequest =
  | { readonly kind: 'inspect'; readonly id: number; readonly name: string }
  | { readonly kind: 'stop' };

/** Worker → host. */
export type WorkerReply =
  | { readonly kind: 'ready'; readonly port: number }
  | ({ readonly kind: 'upload' } & S3Upload)
  | {
      readonly kind: 'inspected';
      readonly id: number;
      readonly queue?: InspectedQueue;
      readonly error?: string;
    }
  | { readonly kind: 'stopped'; readonly error?: string };
