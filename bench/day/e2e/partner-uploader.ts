import { Worker } from 'node:worker_threads';
import type { Runtime } from '../../../runtime/runtime.ts';
import type { CallTally } from './request-counter.ts';
import type { FileToLand, UploaderOptions, UploaderReply, UploaderRequest } from './upload-protocol.ts';

const WORKER_URL = new URL('./upload-worker.ts', import.meta.url);

/** The partners' uploads, made from a worker thread of their own. */
export interface PartnerUploader {
  /** Land the files one after another (multipart above 8 MiB, as `landObject`); resolves once all are stored. */
  upload(files: readonly FileToLand[]): Promise<void>;
  /** End the thread; the S3 calls it made, counted as the landing actor. */
  stop(): Promise<CallTally[]>;
}

/**
 * Start the uploader thread against the runtime's S3 endpoint. A partner uploads from outside the pipeline: off the
 * main thread, the uploads' SDK work and socket writes no longer compete with the handlers for it, while fauxqs still
 * reports each stored object, so every upload becomes an Object Created event exactly as before.
 * @example const uploader = await startUploader(runtime); await uploader.upload([{ landingKey, path }]);
 */
export async function startUploader(runtime: Runtime): Promise<PartnerUploader> {
  const bucket = runtime.resources.buckets.landing?.name;
  if (!bucket) throw new Error('The topology has no landing bucket to upload the partners’ files to.');
  const options: UploaderOptions = {
    endpoint: runtime.endpoints.s3 ?? '',
    region: runtime.region,
    bucket,
    bucketNames: Object.fromEntries(
      Object.entries(runtime.resources.buckets).map(([name, physical]) => [physical.name, name]),
    ),
  };
  const worker = new Worker(WORKER_URL, {
    workerData: options,
    execArgv: [...process.execArgv, '--disable-warning=ExperimentalWarning'],
  });
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  let ready: { resolve(): void; reject(error: Error): void } | undefined;
  let stopped: ((tallies: CallTally[]) => void) | undefined;
  let gone: Error | undefined;
  let lastId = 0;

  worker.on('message', (reply: UploaderReply) => {
    if (reply.kind === 'ready') ready?.resolve();
    else if (reply.kind === 'stopped') stopped?.(reply.tallies);
    else {
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error) waiter?.reject(new Error(`A partner upload failed: ${reply.error}`));
      else waiter?.resolve();
    }
  });
  worker.on('error', (error) => {
    gone = new Error(`The upload thread failed; the run cannot land its files: ${error.message}`, {
      cause: error,
    });
  });
  worker.on('exit', (code) => {
    gone ??= new Error(`The upload thread ended (exit code ${code}) before the run finished uploading.`);
    ready?.reject(gone);
    for (const waiter of pending.values()) waiter.reject(gone);
    pending.clear();
    stopped?.([]);
  });
  await new Promise<void>((resolve, reject) => {
    ready = { resolve, reject };
  });

  const send = (request: UploaderRequest) => worker.postMessage(request);
  let stopping: Promise<CallTally[]> | undefined;
  return {
    upload(files) {
      if (gone) return Promise.reject(gone);
      const id = ++lastId;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ kind: 'upload', id, files });
      });
    },
    stop() {
      stopping ??= gone
        ? Promise.resolve([])
        : new Promise<CallTally[]>((resolve) => {
            stopped = resolve;
            send({ kind: 'stop' });
          }).then(async (tallies) => {
            await worker.terminate();
            return tallies;
          });
      return stopping;
    },
  };
}
