import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { eventLogObjects, writeEventLogObject } from '../lib/event-log/write-event-log.ts';
import type { BusEvent } from './bus-events.ts';
import { describeError, type RuntimeLogger } from './logger.ts';
import type { ProvisionedResources } from './provision.ts';

/** The local bus's side of the event log (what Firehose writes in AWS). */
export interface BusEventLog {
  /** Write the events one PutEvents call accepted; a failure is logged, never thrown. */
  append(events: readonly BusEvent[]): Promise<void>;
  /**
   * Log every archived event when the log holds nothing yet: a state folder from before the event log existed
   * (or whose S3 state was lost) gets its history once, so a dry run does not count its old windows as empty.
   * Returns whether it logged.
   */
  adopt(archived: readonly BusEvent[]): Promise<boolean>;
}

/**
 * The offline event log, in the runtime's S3 with Firehose's layout (`lib/event-log/layout.ts`): one object per
 * partition (zone, type, UTC date) per call, named by time and a UUID so no write replaces another. Written once
 * per PutEvents call, after archiving and alongside delivery, and the bus journals the events delivered only once
 * both are done: nothing waits in a buffer to be lost, and a runtime killed before the write ends has not journalled
 * those events, so its next start logs them again as it re-delivers them (the reader drops the duplicates). The log
 * is a preview aid: a failed write is logged and the events are still delivered, as a Firehose outage in AWS does
 * not refuse PutEvents.
 * @example const log = createBusEventLog({ s3, resources, logger });
 */
export function createBusEventLog(options: {
  readonly s3: S3Client;
  readonly resources: Pick<ProvisionedResources, 'buckets'>;
  readonly logger: RuntimeLogger;
}): BusEventLog {
  const bucket = eventLogBucket(options.resources);
  const log: BusEventLog = {
    async adopt(archived) {
      if (archived.length === 0) return false;
      const listed = await options.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
      if ((listed.KeyCount ?? listed.Contents?.length ?? 0) > 0) return false;
      options.logger.info('logging the archived events of a state folder older than its event log', {
        events: archived.length,
      });
      await log.append(archived);
      return true;
    },
    async append(events) {
      await Promise.all(
        eventLogObjects(events).map(async (object) => {
          try {
            await writeEventLogObject(options.s3, bucket, object);
          } catch (error) {
            options.logger.error(
              'could not write bus events to the event log; `finledger replay --dry-run` undercounts them',
              { bucket, key: object.key, events: object.events, ...describeError(error) },
            );
          }
        }),
      );
    },
  };
  return log;
}

/** The physical event-log bucket offline; without it the bus cannot log, so it is an error to fix in the topology. */
export function eventLogBucket(resources: Pick<ProvisionedResources, 'buckets'>): string {
  const bucket = resources.buckets['event-log']?.name;
  if (!bucket)
    throw new Error(
      'No `event-log` bucket was provisioned: the local bus logs every event there for `finledger replay --dry-run`. Restore the bucket in topology/topology.ts.',
    );
  return bucket;
}
