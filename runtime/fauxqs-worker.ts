/**
 * Worker-thread side of `fauxqs-host.ts`: fauxqs (SQS and S3) on an event loop of its own, so S3 uploads and
 * SQS calls are served while the handlers on the main thread run long synchronous work (Parquet writing).
 * Started with the `startFauxqs` options as `workerData`; posts `ready` with its port, then every upload.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type SpyMessage, startFauxqs } from 'fauxqs';
import type { FauxqsOptions, HostRequest, WorkerReply } from './fauxqs-worker-protocol.ts';

const host = parentPort;
if (!host)
  throw new Error('runtime/fauxqs-worker.ts runs as a worker thread: start it with startFauxqsWorker.');
const post = (reply: WorkerReply) => host.postMessage(reply);

const faux = await startFauxqs(workerData as FauxqsOptions);

let seq = 0;
/**
 * A spy waiter whose filter never matches stays registered and sees every event exactly once, as it happens
 * (fauxqs checks each new event against every pending waiter), so no upload depends on the spy's buffer size.
 */
const forwardUploads = (): void => {
  faux.spy
    .waitForMessage((message: SpyMessage) => {
      if (message.service === 's3' && message.status === 'uploaded')
        post({
          kind: 'upload',
          seq: ++seq,
          bucket: message.bucket,
          key: message.key,
          timestamp: message.timestamp,
        });
      return false;
    })
    // Only a spy reset (never done by the runtime) rejects the waiter: register again.
    .catch(forwardUploads);
};
forwardUploads();

host.on('message', (request: HostRequest) => {
  if (request.kind === 'inspect') {
    try {
      post({ kind: 'inspected', id: request.id, queue: faux.inspectQueue(request.name) });
    } catch (error) {
      post({ kind: 'inspected', id: request.id, error: String(error) });
    }
    return;
  }
  faux.stop().then(
    () => post({ kind: 'stopped' }),
    (error: unknown) => post({ kind: 'stopped', error: String(error) }),
  );
});

post({ kind: 'ready', port: faux.port });
