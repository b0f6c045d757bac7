import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is making an AWS call: a service's handler, the outbox relay or watchdog loop, the bench's own uploads or
 * polling. Calls made outside any of these (the pollers' receives, the bus's deliveries, idle checks) have no actor:
 * that is the runtime standing in for AWS-managed parts (event source mappings, EventBridge targets, S3 events).
 */
export interface ActorFrame {
  readonly actor: string;
  /** Set when a call in this frame published events (an outbox sweep that found work). */
  published: boolean;
}

const frames = new AsyncLocalStorage<ActorFrame>();

/** Run `work` as `actor`: every SDK call it makes, however deep, is attributed to it. */
export function asActor<T>(actor: string, work: () => Promise<T>): Promise<T> {
  return frames.run({ actor, published: false }, work);
}

/** The frame of the running call, if any. */
export const currentFrame = (): ActorFrame | undefined => frames.getStore();

/** The bench uploading the partners' files: billed like a partner's PUTs to the landing bucket. */
export const LANDING_ACTOR = 'landing (partner uploads)';
/** The bench polling for verdicts and reading results afterwards: never billed. */
export const BENCH_ACTOR = 'bench';
/** Calls made with no actor: the runtime emulating event source mappings, bus targets and S3 notifications. */
export const RUNTIME_ACTOR = 'runtime';
