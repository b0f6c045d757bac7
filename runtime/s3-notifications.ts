import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FauxqsServer, S3SpyEvent, SpyMessage } from 'fauxqs';
import type { WireEntry } from './bus-events.ts';
import type { LocalBus } from './local-bus.ts';
import { describeError, type RuntimeLogger } from './logger.ts';
import { LOCAL_ACCOUNT } from './physical-names.ts';

/** The running bridge. */
export interface S3Notifications {
  /** Uploads seen but not yet put on the bus. */
  inFlight(): number;
  stop(): Promise<void>;
}

/**
 * Stand-in for S3's EventBridge notifications (fauxqs has none): every object written to one of `buckets`
 * becomes an `aws.s3` "Object Created" event on the local bus, as S3 sends it to the default bus in AWS.
 * It listens to fauxqs' in-process message spy, so uploads through any client are seen.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
export function startS3Notifications(options: {
  fauxqs: FauxqsServer;
  s3: S3Client;
  bus: Pick<LocalBus, 'putEvents'>;
  /** Physical names of the buckets with EventBridge notifications on. */
  buckets: ReadonlySet<string>;
  region: string;
  logger: RuntimeLogger;
  /** The event time of an upload from its real instant (epoch ms); default: that instant. */
  eventTime?: (uploadedAtMs: number) => number;
}): S3Notifications {
  const seen = new WeakSet<SpyMessage>();
  let running = true;
  let inFlight = 0;
  const isNewUpload = (message: SpyMessage): message is S3SpyEvent =>
    message.service === 's3' &&
    message.status === 'uploaded' &&
    options.buckets.has(message.bucket) &&
    !seen.has(message);

  const loop = (async () => {
    while (running) {
      let upload: S3SpyEvent;
      try {
        // The timeout only lets the loop notice stop(); the spy resolves at once when an upload is buffered.
        upload = (await options.fauxqs.spy.waitForMessage(isNewUpload, undefined, 250)) as S3SpyEvent;
      } catch {
        continue;
      }
      seen.add(upload);
      inFlight++;
      try {
        await publish(upload, options);
      } catch (error) {
        options.logger.error('could not publish the S3 Object Created event', {
          bucket: upload.bucket,
          key: upload.key,
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
  upload: S3SpyEvent,
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
