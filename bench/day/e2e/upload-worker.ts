/**
 * Worker-thread side of `partner-uploader.ts`: the partners' uploads on an event loop and SDK client of their own, as
 * a partner uploads from outside, through the runtime's S3 endpoint (so fauxqs reports each upload and the runtime
 * turns it into an Object Created event as for any client). Counts its calls as the landing actor and hands the
 * tallies to the host, which adds them to the run's request counts.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { S3Client } from '@aws-sdk/client-s3';
import { writeObject } from '../../../lib/aws/write-object.ts';
import { localClientConfig } from '../../../runtime/clients.ts';
import { asActor, LANDING_ACTOR } from './actor-context.ts';
import { RequestCounter } from './request-counter.ts';
import type { UploaderOptions, UploaderReply, UploaderRequest } from './upload-protocol.ts';

const host = parentPort;
if (!host)
  throw new Error('bench/day/e2e/upload-worker.ts runs as a worker thread: start it with startUploader.');

const options = workerData as UploaderOptions;
const s3 = new S3Client(localClientConfig('s3', { s3: options.endpoint }, options.region));
const buckets = new Map(Object.entries(options.bucketNames));
const counter = new RequestCounter({
  table: (physical) => physical,
  bucket: (physical) => buckets.get(physical) ?? physical,
  queue: (url) => url,
});
counter.attach('S3', s3);
counter.start();

const post = (reply: UploaderReply) => host.postMessage(reply);

host.on('message', async (request: UploaderRequest) => {
  if (request.kind === 'stop') {
    s3.destroy();
    post({ kind: 'stopped', tallies: counter.results() });
    return;
  }
  try {
    await asActor(LANDING_ACTOR, async () => {
      for (const file of request.files)
        await writeObject(s3, {
          Bucket: options.bucket,
          Key: file.landingKey,
          Body: createReadStream(file.path),
        });
    });
    post({ kind: 'uploaded', id: request.id });
  } catch (error) {
    post({ kind: 'uploaded', id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
post({ kind: 'ready' });
