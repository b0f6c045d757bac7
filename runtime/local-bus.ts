import { createServer } from 'node:http';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { containsCardNumber } from '../lib/card-data/card-numbers.ts';
import type { Topology } from '../topology/types.ts';
import { type BusArchive, createArchive, routedArchive } from './bus-archive.ts';
import { type DeliveryOutcome, deliver } from './bus-delivery.ts';
import { createDeliveryJournal } from './bus-delivery-journal.ts';
import { type BusEventLog, createBusEventLog } from './bus-event-log.ts';
import { type BusEvent, type ResultEntry, toBusEvent, type WireEntry } from './bus-events.ts';
import { handleHttp, listen, type Operations, putEventsRequest, sendError } from './bus-http.ts';
import { assertReplayName, type ReplaySelection, selectForReplay } from './bus-replay-selection.ts';
import { archiveArn, createReplayControl, type ReplayControl } from './bus-replays.ts';
import { type BusRule, busRules, matchesPattern } from './bus-rules.ts';
import { consoleLogger, describeError, type RuntimeLogger } from './logger.ts';
import type { ProvisionedResources } from './provision.ts';

export interface LocalBusOptions {
  readonly topology: Topology;
  readonly resources: ProvisionedResources;
  /** Client used to deliver to target queues; tests may add middleware to it to inject failures. */
  readonly sqs: SQSClient;
  /** The runtime's S3, where the bus writes its event log (the topology's `event-log` bucket), as Firehose does in AWS. */
  readonly s3: S3Client;
  /** Archive to `<stateDir>/bus-archive/<bus>.jsonl`; omit to archive in memory. */
  readonly stateDir?: string;
  readonly port?: number;
  /** Delivery attempts per target before the event goes to the rule DLQ. */
  readonly deliveryAttempts?: number;
  readonly logger?: RuntimeLogger;
}

/** PutEvents' answer, as the real API shapes it. */
export interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: ResultEntry[];
}

export interface ReplayOptions extends ReplaySelection {
  /** Set as `replay-name` on every replayed event ([.-_A-Za-z0-9], at most 64 characters). */
  readonly replayName: string;
  /** Only these rules receive the replay (EventBridge's `FilterArns`); default all. */
  readonly ruleNames?: readonly string[];
  /** Called after each event is delivered (StartReplay's progress, `EventLastReplayedTime`). */
  readonly onReplayed?: (event: BusEvent) => void;
}

/** The running local bus. */
export interface LocalBus {
  /** EventBridge endpoint for `new EventBridgeClient({ endpoint })`. */
  readonly endpoint: string;
  readonly name: string;
  readonly arn: string;
  readonly rules: readonly BusRule[];
  readonly archive: BusArchive;
  /** The archive's name and ARN (StartReplay's `EventSourceArn`). */
  readonly archiveName: string;
  readonly archiveArn: string;
  /** StartReplay, DescribeReplay, ListReplays, ListArchives (also served over HTTP to the SDK). */
  readonly replays: ReplayControl;
  /**
   * The PutEvents logic without HTTP. `allowAwsSources` lets trusted local producers (the S3 bridge,
   * tests) emit `aws.*` events, which AWS reserves for its own services.
   */
  putEvents(entries: readonly WireEntry[], options?: { allowAwsSources?: boolean }): Promise<PutEventsResult>;
  /** Re-send archived events to the rules, with `replay-name` set. Replayed events are not archived again. */
  replay(options: ReplayOptions): Promise<{ replayed: number; outcomes: DeliveryOutcome[] }>;
  /** PutEvents calls and replays still delivering (for idle detection). */
  inFlight(): number;
  stop(): Promise<void>;
}

/**
 * Start a local EventBridge bus on 127.0.0.1 speaking the PutEvents JSON protocol, routing by the
 * topology's rules to the service queues, and archiving every accepted event.
 * Primary course of PutEvents:
 * 1. Reject the whole request like AWS (more than 10 entries, over 256 KB).
 * 2. Validate each entry; failures get ErrorCode/ErrorMessage and count in FailedEntryCount.
 * 3. Archive each accepted event; deliver each to every matching rule's queue while writing them to the event log
 *    (`runtime/bus-event-log.ts`); then journal them delivered.
 * On start, events archived but never journalled (a process killed in between) are logged again and delivered first;
 * an archive whose event log is still empty (a state folder older than the log) is logged whole, once.
 * @example const bus = await startLocalBus({ topology, resources, sqs, s3 });
 */
export async function startLocalBus(options: LocalBusOptions): Promise<LocalBus> {
  const { topology, resources } = options;
  const logger = options.logger ?? consoleLogger;
  const rules = busRules(topology, resources.stage, resources.region);
  const archive = routedArchive(
    createArchive(
      options.stateDir ? join(options.stateDir, 'bus-archive', `${resources.bus.name}.jsonl`) : undefined,
    ),
    createArchive(
      options.stateDir
        ? join(options.stateDir, 'restricted', 'bus-archive', `${resources.bus.name}.jsonl`)
        : undefined,
    ),
    isCardDataNotification,
  );
  const queueUrls = new Map(
    Object.values(resources.services).flatMap((service) =>
      [service.queue, service.dlq, service.busDlq].map((queue) => [queue.name, queue.url] as const),
    ),
  );
  const acceptedBusNames = new Set(['default', resources.bus.name, resources.bus.arn]);
  const delivery = { sqs: options.sqs, queueUrls, attempts: options.deliveryAttempts ?? 3, logger };
  const journal = createDeliveryJournal(
    options.stateDir ? join(options.stateDir, 'bus-deliveries', `${resources.bus.name}.txt`) : undefined,
  );
  const deliverToRules = (event: BusEvent) =>
    deliver(
      event,
      rules.filter((rule) => matchesPattern(rule.eventPattern, event)),
      delivery,
    );
  const deliverAndMark = async (event: BusEvent) => {
    await deliverToRules(event);
    await journal.markDelivered(event.id);
  };
  const eventLog = createBusEventLog({ s3: options.s3, resources, logger });
  await deliverWhatAStoppedBusArchivedOnly(archive, journal, eventLog, deliverAndMark, logger);
  let inFlight = 0;

  const tracked = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await work();
    } finally {
      inFlight--;
    }
  };

  const putEvents: LocalBus['putEvents'] = (entries, putOptions = {}) =>
    tracked(async () => {
      const accepted = await Promise.all(
        entries.map(async (entry): Promise<{ event: BusEvent } | { error: ResultEntry }> => {
          const built = toBusEvent(entry, {
            region: resources.region,
            acceptedBusNames,
            allowAwsSources: putOptions.allowAwsSources ?? false,
          });
          if ('error' in built) return built;
          try {
            await archive.append(built.event);
            return built;
          } catch (error) {
            // Not archived means not accepted: report it per entry so the producer retries just this one.
            logger.error('could not archive an event; entry rejected', describeError(error));
            return {
              error: {
                ErrorCode: 'InternalFailure',
                ErrorMessage: 'The local bus could not archive the event.',
              },
            };
          }
        }),
      );
      const archived = accepted.flatMap((result) => ('event' in result ? [result.event] : []));
      // The log is written beside delivery, off its path; journalling waits for both, so what a killed bus did not
      // journal is logged again on restart.
      await Promise.all([eventLog.append(archived), ...archived.map(deliverToRules)]);
      await Promise.all(archived.map((event) => journal.markDelivered(event.id)));
      const results = accepted.map((result) =>
        'event' in result ? { EventId: result.event.id } : result.error,
      );
      return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
    });

  const replay: LocalBus['replay'] = (replayOptions) =>
    tracked(async () => {
      assertReplayName(replayOptions.replayName);
      const selected = selectForReplay(await archive.read(), replayOptions);
      const targetRules = replayOptions.ruleNames
        ? rules.filter((rule) => replayOptions.ruleNames?.includes(rule.name))
        : rules;
      const outcomes: DeliveryOutcome[] = [];
      for (const archived of selected) {
        const event: BusEvent = { ...archived, 'replay-name': replayOptions.replayName };
        const matched = targetRules.filter((rule) => matchesPattern(rule.eventPattern, event));
        outcomes.push(...(await deliver(event, matched, delivery)));
        replayOptions.onReplayed?.(archived);
      }
      return { replayed: selected.length, outcomes };
    });

  const archiveName = `${resources.bus.name}-archive`;
  const replays = await createReplayControl({
    region: resources.region,
    busArn: resources.bus.arn,
    archiveName,
    archive,
    rules,
    ...(options.stateDir
      ? { statePath: join(options.stateDir, 'bus-archive', `${resources.bus.name}.replays.json`) }
      : {}),
    replay: (request) => replay({ ...request, order: 'by-minute' }),
  });
  const operations: Operations = {
    'AWSEvents.PutEvents': (input) => putEventsRequest(input, putEvents),
    'AWSEvents.StartReplay': (input) => replays.startReplay(input),
    'AWSEvents.DescribeReplay': async (input) => replays.describeReplay(input),
    'AWSEvents.ListReplays': async (input) => replays.listReplays(input),
    'AWSEvents.ListArchives': (input) => replays.listArchives(input),
  };
  const server = createServer((request, response) => {
    void handleHttp(request, response, operations).catch((error) => {
      logger.error('local bus request failed', describeError(error));
      sendError(response, 500, 'InternalException', 'The local bus failed; see the runtime log.');
    });
  });
  const port = await listen(server, options.port ?? 0);

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    name: resources.bus.name,
    arn: resources.bus.arn,
    rules,
    archive,
    archiveName,
    archiveArn: archiveArn(resources.region, archiveName),
    replays,
    putEvents,
    replay,
    inFlight: () => inFlight,
    stop() {
      stopping ??= (async () => {
        // Stop accepting, let in-flight PutEvents finish delivering, then drop keep-alive sockets.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
        server.closeAllConnections();
        await closed;
      })();
      return stopping;
    },
  };
}

/**
 * An S3 "Object Created" notification whose object key holds a card number. S3 writes the partner's key into the
 * event and an archived event cannot be edited, so offline it is archived apart, under the state folder's
 * `restricted/` (the rules of the `restricted/` prefix: deletable, never Object Lock). In AWS landing notifications
 * stay on the default bus, in their own archive that expires like card data (`stacks/bus.ts`
 * `createNotificationArchive`); file-landing moves such objects out of landing.
 */
export function isCardDataNotification(event: BusEvent): boolean {
  if (event.source !== 'aws.s3') return false;
  const key = (event.detail as { object?: { key?: unknown } } | undefined)?.object?.key;
  return typeof key === 'string' && containsCardNumber(key);
}

/**
 * Deliver the archived events a previous process accepted but was killed before delivering, in archive order. They
 * are logged again first: the kill may have come before their event-log write (the reader drops duplicates).
 */
async function deliverWhatAStoppedBusArchivedOnly(
  archive: BusArchive,
  journal: ReturnType<typeof createDeliveryJournal>,
  eventLog: BusEventLog,
  deliverAndMark: (event: BusEvent) => Promise<void>,
  logger: RuntimeLogger,
): Promise<void> {
  const delivered = await journal.delivered();
  const archived = await archive.read();
  const adopted = await eventLog.adopt(archived);
  if (delivered === null) {
    // A new state folder, or one archived before the journal existed: what is archived was delivered then.
    await journal.start(archived.map((event) => event.id));
    return;
  }
  const pending = archived.filter((event) => !delivered.has(event.id));
  if (pending.length === 0) return;
  logger.warn('delivering archived events a stopped runtime had accepted but not delivered', {
    events: pending.length,
  });
  if (!adopted) await eventLog.append(pending);
  for (const event of pending) await deliverAndMark(event);
}
