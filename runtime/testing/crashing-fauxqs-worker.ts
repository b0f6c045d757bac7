/** Stand-in for fauxqs-worker.ts that reports ready, then dies on its first request (fauxqs-host tests). */
import { parentPort } from 'node:worker_threads';

parentPort?.postMessage({ kind: 'ready', port: 0 });
parentPort?.on('message', () => {
  throw new Error('fauxqs blew up');
});
