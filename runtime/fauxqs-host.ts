import { Worker } from 'node:worker_threads';
import type {
  FauxqsOptions,
  HostRequest,
  InspectedQueue,
  S3Upload,
  WorkerReply,
} from './fauxqs-worker-protocol.ts';
import { UploadQueue } from './upload-queue.ts';

const WORKER_URL = new URL('./fauxqs-worker.ts', import.meta.url);
/** fauxqs' own stop closes its server and state files; past this the thread is terminated anyway. */
const STOP_TIMEOUT_MS = 10_000;

/** fauxqs' thread did not start, died, or did not stop; `cause` is what the thread threw, if anything. */
export class FauxqsWorkerError extends Error {
  override name = 'FauxqsWorkerError';
}

/** fauxqs running on a worker thread of this process, as the runtime uses it. */
export interface FauxqsHost {
  /** The port fauxqs serves SQS and S3 on (all interfaces; use 127.0.0.1). */
  readonly port: number;
  /**
   * The oldest upload not taken yet (any bucket), waiting up to `timeoutMs`; `undefined` when none came. Each
   * upload is handed out once. Rejects with a `FauxqsWorkerError` once fauxqs is gone.
   */
  nextUpload(timeoutMs: number): Promise<S3Upload | undefined>;
  /** fauxqs' non-destructive copy of a queue's messages; `undefined` for a queue it does not have. */
  inspectQueue(name: string): Promise<InspectedQueue | undefined>;
  /** Stop fauxqs and end its thread. Rejects if the thread had died or dies while stopping. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Start fauxqs with `options` on a worker thread: it keeps serving while the main thread is busy, and it dies
 * with the process. The worker is TypeScript; tsx, vitest and Node 22's type stripping all load it.
 * @example const faux = await startFauxqsWorker({ port: 0, logger: false, messageSpies: true });
 */
export async function startFauxqsWorker(
  options: FauxqsOptions,
  workerUrl: URL = WORKER_URL,
): Promise<FauxqsHost> {
  const worker = new Worker(workerUrl, {
    workerData: options,
    // The thread runs only fauxqs, whose node:sqlite warns as experimental on Node 22 at every runtime start.
    execArgv: [...process.execArgv, '--disable-warning=ExperimentalWarning'],
  });
  const uploads = new UploadQueue();
  const requests = new Map<number, { resolve(queue?: InspectedQueue): void; reject(error: Error): void }>();
  let started: { resolve(port: number): void; reject(error: Error): void } | undefined;
  let stopped: ((error?: string) => void) | undefined;
  let thrown: unknown;
  let lastRequestId = 0;
  let terminating = false;
  /** Why calls no longer work: set when the thread exits. */
  let gone: FauxqsWorkerError | undefined;
  /** Set only when the thread exited without being stopped. */
  let crash: FauxqsWorkerError | undefined;

  worker.on('message', (reply: WorkerReply) => {
    if (reply.kind === 'ready') started?.resolve(reply.port);
    else if (reply.kind === 'upload') {
      const { kind: _kind, ...upload } = reply;
      uploads.push(upload);
    } else if (reply.kind === 'inspected') {
      const request = requests.get(reply.id);
      requests.delete(reply.id);
      if (reply.error)
        request?.reject(new FauxqsWorkerError(`fauxqs could not inspect a queue: ${reply.error}`));
      else request?.resolve(reply.queue);
    } else stopped?.(reply.error);
  });
  // An uncaught error in the thread: 'exit' follows, which reports it.
  worker.on('error', (error) => {
    thrown = error;
  });
  worker.on('exit', (code) => {
    if (!terminating) {
      const reason = `worker thread exit code ${code}: ${thrown instanceof Error ? thrown.message : String(thrown ?? 'no error thrown')}`;
      crash = new FauxqsWorkerError(
        started
          ? `fauxqs did not start (${reason}). Check its port is free and the state folder is writable.`
          : `fauxqs (SQS and S3) stopped unexpectedly (${reason}). Restart the runtime; with a state folder it resumes from what fauxqs wrote.`,
        { cause: thrown },
      );
    }
    gone = crash ?? new FauxqsWorkerError('fauxqs is stopped: start the runtime again to use SQS or S3.');
    started?.reject(gone);
    stopped?.();
    uploads.fail(gone);
    for (const request of requests.values()) request.reject(gone);
    requests.clear();
  });

  const port = await new Promise<number>((resolve, reject) => {
    started = { resolve, reject };
  });
  started = undefined;

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    if (gone) throw crash ?? gone;
    let timer: NodeJS.Timeout | undefined;
    const error = await new Promise<string | undefined>((resolve) => {
      stopped = resolve;
      timer = setTimeout(() => resolve(`no answer within ${STOP_TIMEOUT_MS} ms`), STOP_TIMEOUT_MS);
      worker.postMessage({ kind: 'stop' } satisfies HostRequest);
    });
    clearTimeout(timer);
    if (crash) throw crash;
    terminating = true;
    await worker.terminate();
    if (error) throw new FauxqsWorkerError(`fauxqs did not stop cleanly (${error}); its thread was ended.`);
  };

  return {
    port,
    nextUpload: (timeoutMs) => uploads.take(timeoutMs),
    inspectQueue(name) {
      if (gone) return Promise.reject(gone);
      const id = ++lastRequestId;
      return new Promise((resolve, reject) => {
        requests.set(id, { resolve, reject });
        worker.postMessage({ kind: 'inspect', id, name } satisfies HostRequest);
      });
    },
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}
