import type { S3Upload } from './fauxqs-worker-protocol.ts';

/** How many uploads are kept before anyone takes them: the size fauxqs' own spy buffer had for the bridge. */
export const UPLOADS_KEPT_BEFORE_FIRST_TAKE = 1000;

interface Waiter {
  resolve(upload: S3Upload | undefined): void;
  reject(error: Error): void;
}

/**
 * The uploads fauxqs reported, oldest first, each handed to exactly one `take` (taking removes it, so nothing
 * is handed out twice). Until the first `take` (the S3 bridge not started yet, or off) only the newest
 * `UPLOADS_KEPT_BEFORE_FIRST_TAKE` are kept, as the spy buffer kept them; after it, none is dropped.
 */
export class UploadQueue {
  #queued: S3Upload[] = [];
  #waiters: Waiter[] = [];
  #taken = false;
  #failure: Error | undefined;

  push(upload: S3Upload): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve(upload);
      return;
    }
    this.#queued.push(upload);
    if (!this.#taken && this.#queued.length > UPLOADS_KEPT_BEFORE_FIRST_TAKE) this.#queued.shift();
  }

  /**
   * The oldest upload not taken yet, waiting up to `timeoutMs` for one; `undefined` when none came.
   * Rejects once the queue has failed (fauxqs is gone).
   */
  take(timeoutMs: number): Promise<S3Upload | undefined> {
    this.#taken = true;
    if (this.#failure) return Promise.reject(this.#failure);
    const next = this.#queued.shift();
    if (next || timeoutMs <= 0) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (upload) => {
          clearTimeout(timer);
          resolve(upload);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((other) => other !== waiter);
        resolve(undefined);
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Uploads waiting to be taken. */
  get size(): number {
    return this.#queued.length;
  }

  /** No more uploads will come: every waiting and later `take` rejects with `error`. */
  fail(error: Error): void {
    this.#failure = error;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }
}
