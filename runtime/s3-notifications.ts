import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { WireEntry } from './bus-events.ts';
import type { FauxqsHost } from './fauxqs-host.ts';
import type { S3Upload } from './fauxqs-worker-protocol.ts';
import type { LocalBus } from './local-bus.ts';
import { describeError, type RuntimeLogger } from './logger.ts';
import { LOCAL_ACCOUNT } from './physical-names.ts';

/** The running bridge. */
export interface S3Notifications {
  /** Uploads seen but not yet put on the bus. */
  inFlight(): number;
  /** Publish the uploads already reported, then stop. */
  stop(): Promise<void>;
}

/** How long one wait for an upload lasts: it only bounds how late the loop notices stop(). */
const WAIT_MS = 250;

/**
 * Stand-in for S3's EventBridge notifications (fauxqs has none): every object written to one of `buckets`
 * becomes an `aws.s3` "Object Created" event on the local bus, as S3 sends it to the default bus in AWS.
 * fauxqs reports each upload it stores, through any client, once (`FauxqsHost.nextUpload`): each becomes one
 * event, and stop() publishes those already reported.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
export function startS3Notifications(options: {
  fauxqs: Pick<FauxqsHost, 'nextUpload'>;
  s3: S3Client;
  bus: Pick<LocalBus, 'putEvents'>;
  /** Physical names of the buckets with EventBridge notifications on. */
  buckets: ReadonlySet<string>;
  region: string;
  logger: RuntimeLogger;
  /** The event time of an upload from its real instant (epoch ms); default: that instant. */
  eventTime?: (uploadedAtMs: number) => number;
}): S3Notifications {
  let running = true;
  let inFlight = 0;

  const loop = (async () => {
    for (;;) {
      let upload: S3Upload | undefined;
      try {
        upload = await options.fauxqs.nextUpload(running ? WAIT_MS : 0);
      } catch (error) {
        options.logger.error(
          'S3 notifications stopped: fauxqs is gone, so uploads no longer become Object Created events. Restart the runtime.',
          describeError(error),
        );
        return;
      }
      if (!upload) {
        if (running) continue;
        return;
      }
      if (!options.buckets.has(upload.bucket)) continue;
      inFlight++;
      try {
        await publish(upload, options);
      } catch (error) {
        options.logger.error('could not publish the S3 Object Created event', {
          bucket: upload.bucket,
          key: upload.key,
          upload: upload.seq,
          ...describeError(error),
        });
      } finally {
        inFlight--;
      }
    }
  })();

  return {
    inFlight: () => inFlight,
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function publish(
  upload: S3Upload,
  options: {
    s3: S3Client;
    bus: Pick<LocalBus, 'putEvents'>;
    region: string;
    eventTime?: (uploadedAtMs: number) => number;
  },
) {
  const head = await options.s3.send(new HeadObjectCommand({ Bucket: upload.bucket, Key: upload.key }));
  const entry: WireEntry = {
    Source: 'aws.s3',
    DetailType: 'Object Created',
    Resources: [`arn:aws:s3:::${upload.bucket}`],
    Time: (options.eventTime?.(upload.timestamp) ?? upload.timestamp) / 1000,
    Detail: JSON.stringify({
      version: '0',
      bucket: { name: upload.bucket },
      object: {
        key: upload.key,
        size: head.ContentLength ?? 0,
        etag: (head.ETag ?? '').replaceAll('"', ''),
        sequencer: nextSequencer(upload.timestamp),
      },
      'request-id': randomUUID(),
      requester: LOCAL_ACCOUNT,
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    }),
  };
  const result = await options.bus.putEvents([entry], { allowAwsSources: true });
  if (result.FailedEntryCount > 0) {
    throw new Error(`The local bus rejected the event: ${JSON.stringify(result.Entries)}`);
  }
}

let sequence = 0;

/** S3 sequencers are hex strings that grow per key; time plus a counter keeps them unique and ordered. */
function nextSequencer(timestamp: number): string {
  sequence = (sequence + 1) % 0x1000;
  return `${timestamp.toString(16)}${sequence.toString(16).padStart(3, '0')}`.toUpperCase().padStart(18, '0');
}
