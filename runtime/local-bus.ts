import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { containsCardNumber } from '../lib/card-data/card-numbers.ts';
import type { Topology } from '../topology/types.ts';
import { type BusArchive, createArchive, routedArchive } from './bus-archive.ts';
import { type DeliveryOutcome, deliver } from './bus-delivery.ts';
import { createDeliveryJournal } from './bus-delivery-journal.ts';
import {
  type BusEvent,
  entrySize,
  MAX_ENTRIES,
  MAX_REQUEST_BYTES,
  type ResultEntry,
  toBusEvent,
  type WireEntry,
} from './bus-events.ts';
import { type BusRule, busRules, type EventPattern, matchesPattern } from './bus-rules.ts';
import { consoleLogger, describeError, type RuntimeLogger } from './logger.ts';
import type { ProvisionedResources } from './provision.ts';

export interface LocalBusOptions {
  readonly topology: Topology;
  readonly resources: ProvisionedResources;
  /** Client used to deliver to target queues; tests may add middleware to it to inject failures. */
  readonly sqs: SQSClient;
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

export interface ReplayOptions {
  /** Events whose `time` is in [from, to] at EventBridge's one-second precision are replayed. */
  readonly from: Date;
  readonly to: Date;
  /** Set as `replay-name` on every replayed event ([.-_A-Za-z0-9], at most 64 characters). */
  readonly replayName: string;
  readonly filter?: EventPattern | ((event: BusEvent) => boolean);
  /** Only these rules receive the replay (EventBridge's `FilterArns`); default all. */
  readonly ruleNames?: readonly string[];
  /** AWS does not replay in the original order; 'shuffled' (default) keeps consumers honest about that. */
  readonly order?: 'shuffled' | 'archived';
}

/** The running local bus. */
export interface LocalBus {
  /** EventBridge endpoint for `new EventBridgeClient({ endpoint })`. */
  readonly endpoint: string;
  readonly name: string;
  readonly arn: string;
  readonly rules: readonly BusRule[];
  readonly archive: BusArchive;
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

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Start a local EventBridge bus on 127.0.0.1 speaking the PutEvents JSON protocol, routing by the
 * topology's rules to the service queues, and archiving every accepted event.
 * Primary course of PutEvents:
 * 1. Reject the whole request like AWS (more than 10 entries, over 256 KB).
 * 2. Validate each entry; failures get ErrorCode/ErrorMessage and count in FailedEntryCount.
 * 3. Archive each accepted event, then deliver it to every matching rule's queue, then journal it delivered.
 * On start, events archived but never journalled (a process killed in between) are delivered first.
 * @example const bus = await startLocalBus({ topology, resources, sqs });
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
  const deliverAndMark = async (event: BusEvent) => {
    await deliver(
      event,
      rules.filter((rule) => matchesPattern(rule.eventPattern, event)),
      delivery,
    );
    await journal.markDelivered(event.id);
  };
  await deliverWhatAStoppedBusArchivedOnly(archive, journal, deliverAndMark, logger);
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
      const results = await Promise.all(
        entries.map(async (entry): Promise<ResultEntry> => {
          const built = toBusEvent(entry, {
            region: resources.region,
            acceptedBusNames,
            allowAwsSources: putOptions.allowAwsSources ?? false,
          });
          if ('error' in built) return built.error;
          try {
            await archive.append(built.event);
          } catch (error) {
            // Not archived means not accepted: report it per entry so the producer retries just this one.
            logger.error('could not archive an event; entry rejected', describeError(error));
            return {
              ErrorCode: 'InternalFailure',
              ErrorMessage: 'The local bus could not archive the event.',
            };
          }
          await deliverAndMark(built.event);
          return { EventId: built.event.id };
        }),
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
      }
      return { replayed: selected.length, outcomes };
    });

  const server = createServer((request, response) => {
    void handleHttp(request, response, putEvents).catch((error) => {
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

async function handleHttp(
  request: IncomingMessage,
  response: ServerResponse,
  putEvents: LocalBus['putEvents'],
): Promise<void> {
  const target = request.headers['x-amz-target'];
  if (request.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
    sendError(
      response,
      400,
      'UnknownOperationException',
      `The local bus implements only AWSEvents.PutEvents, not ${String(target)}.`,
    );
    return;
  }
  const body = await readBody(request);
  if (body === undefined) {
    sendError(response, 413, 'ValidationException', 'Request body is too large.');
    return;
  }
  let input: { Entries?: WireEntry[] };
  try {
    input = JSON.parse(body) as { Entries?: WireEntry[] };
  } catch {
    sendError(response, 400, 'SerializationException', 'Request body is not JSON.');
    return;
  }
  const entries = input.Entries ?? [];
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    sendError(
      response,
      400,
      'ValidationException',
      `Entries must hold 1 to ${MAX_ENTRIES} entries; got ${entries.length}.`,
    );
    return;
  }
  // AWS rejects the whole request, not one entry, when the entries together exceed 256 KB.
  if (entries.reduce((sum, entry) => sum + entrySize(entry), 0) > MAX_REQUEST_BYTES) {
    sendError(
      response,
      400,
      'ValidationException',
      'Total size of the entries in the request is over the limit.',
    );
    return;
  }
  send(response, 200, await putEvents(entries));
}

function selectForReplay(events: BusEvent[], options: ReplayOptions): BusEvent[] {
  // Event times carry whole seconds, so the window is widened to whole seconds too.
  const from = Math.floor(options.from.getTime() / 1000) * 1000;
  const to = Math.ceil(options.to.getTime() / 1000) * 1000;
  const { filter } = options;
  const selected = events.filter((event) => {
    const time = Date.parse(event.time);
    if (time < from || time > to) return false;
    if (!filter) return true;
    return typeof filter === 'function' ? filter(event) : matchesPattern(filter, event);
  });
  if (options.order === 'archived') return selected;
  for (let index = selected.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [selected[index], selected[other]] = [selected[other] as BusEvent, selected[index] as BusEvent];
  }
  return selected;
}

function assertReplayName(name: string): void {
  if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name)) {
    throw new Error(`Replay name "${name}" is invalid: use 1-64 characters from [.-_A-Za-z0-9].`);
  }
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  if (response.headersSent) return;
  // The JSON protocol names the error in `__type`; the SDK turns it into an exception of that name.
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ __type: type, message }));
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * An S3 "Object Created" notification whose object key holds a card number. S3 writes the partner's key into the
 * event and an archived event cannot be edited, so offline it is archived apart, under the state folder's
 * `restricted/` (the rules of the `restricted/` prefix: deletable, never Object Lock). In AWS these notifications
 * stay on the default bus, which finledger does not archive; file-landing moves such objects out of landing.
 */
export function isCardDataNotification(event: BusEvent): boolean {
  if (event.source !== 'aws.s3') return false;
  const key = (event.detail as { object?: { key?: unknown } } | undefined)?.object?.key;
  return typeof key === 'string' && containsCardNumber(key);
}

/** Deliver the archived events a previous process accepted but was killed before delivering, in archive order. */
async function deliverWhatAStoppedBusArchivedOnly(
  archive: BusArchive,
  journal: ReturnType<typeof createDeliveryJournal>,
  deliverAndMark: (event: BusEvent) => Promise<void>,
  logger: RuntimeLogger,
): Promise<void> {
  const delivered = await journal.delivered();
  const archived = await archive.read();
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
  for (const event of pending) await deliverAndMark(event);
}
