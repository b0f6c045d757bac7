import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { StageDocument } from '../lib/stage-resources/stage-document.ts';
import { physicalName } from '../topology/names.ts';
import { topology as finledgerTopology } from '../topology/topology.ts';
import type { Topology } from '../topology/types.ts';
import { type LocalClients, localClientConfig, localClients, localEventBridgeClient } from './clients.ts';
import { consumedQueueUrl, queueConsumers } from './consumers.ts';
import { type DlqTools, dlqTools } from './dlq.ts';
import { type Emulators, type SharedDynamoDb, startEmulators } from './emulators.ts';
import { startFunctionUrls, type UrlFunction } from './function-urls.ts';
import { type HandlerMap, loadServiceHandlers } from './handlers.ts';
import { waitForIdle } from './idle.ts';
import { createInflightJournal, inflightDir, releaseInflight } from './inflight-journal.ts';
import { takeOverInProgress } from './inprogress-takeover.ts';
import { type LocalBus, startLocalBus } from './local-bus.ts';
import { createLogFile, runtimeLogPath } from './log-file.ts';
import { consoleLogger, type RuntimeLogger, teeLogger } from './logger.ts';
import { type Loop, startLoop } from './loop.ts';
import { LOCAL_ACCOUNT } from './physical-names.ts';
import { type Poller, startPoller } from './poller.ts';
import { type ProvisionedResources, provision } from './provision.ts';
import { applyResourceEnv, offlineSecrets, type ResourceEndpoints, resourceEnv } from './resource-env.ts';
import { type S3Notifications, startS3Notifications } from './s3-notifications.ts';
import { startSqsMessageMoves } from './sqs-message-moves.ts';
import { startSsmParameters } from './ssm-parameters.ts';
import { offlineParameters, offlineStageDocument } from './stage-document.ts';
import { acquireStateLock } from './state-lock.ts';

/** One iteration of a scheduled or polling worker. */
export type WorkerFn = () => Promise<void>;

export interface RuntimeOptions {
  /** Persistent state folder; omit for an in-memory runtime (tests). */
  readonly stateDir?: string;
  readonly stage?: string;
  readonly region?: string;
  readonly topology?: Topology;
  /**
   * Handlers by service or unit worker, or a loader called after the resource environment is applied.
   * Default: `loadServiceHandlers` (imports the handlers of `topology.services` and of the unit workers).
   */
  readonly handlers?: HandlerMap | ((topology: Topology, stage: string) => Promise<HandlerMap>);
  /** Local acceleration: failed messages come back after this many seconds instead of the visibility timeout. */
  readonly retryDelaySeconds?: number;
  /**
   * Worker loops by name. A bare function takes its interval from `topology.workers` (schedule: its period;
   * stream: polled every second, as there is no stream trigger offline).
   */
  readonly workers?: Readonly<
    Record<string, WorkerFn | { readonly run: WorkerFn; readonly intervalMs: number }>
  >;
  /** Operator-invoked workers served at IAM-authorised function URLs (`runtime/function-urls.ts`), by worker name. */
  readonly functionUrls?: Readonly<Record<string, UrlFunction>>;
  /** Turn uploads to buckets with `eventBridgeNotifications` into `aws.s3` events (default true). */
  readonly s3Notifications?: boolean;
  /**
   * The `time` S3 stamps on an upload's event, from the real upload instant (epoch ms). Default: the upload
   * instant. A scenario clock (`runtime/scenario-clock.ts`) lets a run deliver partner files at their business hours.
   */
  readonly s3EventTime?: (uploadedAtMs: number) => number;
  readonly ports?: { readonly dynamodb?: number; readonly fauxqs?: number; readonly bus?: number };
  /** Borrow a running in-memory DynamoDB Local instead of starting one (tests; see `EmulatorOptions`). */
  readonly sharedDynamoDb?: SharedDynamoDb;
  readonly pollerConcurrency?: number;
  /**
   * Kick the stream workers (the outbox relay) after every settled batch, as a DynamoDB stream triggers them in AWS
   * (default true). Off, they run only on their interval and when a test or `waitForIdle` drives them.
   */
  readonly kickStreamWorkers?: boolean;
  /** Deep-freeze each SQSEvent so a handler that mutates its input fails loudly (see INTEGRITY-NOTES). */
  readonly freezeEvents?: boolean;
  /** Where log lines go (default: stderr); with a state folder they are also appended to its log file. */
  readonly logger?: RuntimeLogger;
}

/** The running offline runtime. */
export interface Runtime {
  readonly stage: string;
  readonly region: string;
  readonly topology: Topology;
  readonly endpoints: ResourceEndpoints;
  /**
   * Endpoints an operator command uses with `--stage <this stage>` (`FINLEDGER_ENDPOINT_*`): SQS through the front
   * that speaks the message-move API, SSM serving the stage document.
   */
  readonly operatorEndpoints: ResourceEndpoints;
  readonly resources: ProvisionedResources;
  /** What `--stage` reads from SSM to find this runtime's resources, as a deployed stage writes it. */
  readonly stageDocument: StageDocument;
  /** The variables set on process.env for the handlers. */
  readonly env: Readonly<Record<string, string>>;
  readonly emulators: Emulators;
  readonly bus: LocalBus;
  readonly clients: Omit<LocalClients, 'destroy'> & {
    readonly eventbridge: EventBridgeClient;
    /** SQS for operator commands: the emulator behind a front that adds the message-move API (DLQ redrive). */
    readonly operatorSqs: SQSClient;
  };
  readonly pollers: Readonly<Record<string, Poller>>;
  readonly loops: Readonly<Record<string, Loop>>;
  readonly dlq: DlqTools;
  /**
   * Wait until every consumed queue (service and unit queues) is empty and nothing is in flight (runs each worker
   * once per check by default).
   */
  waitForIdle(options?: { timeoutMs?: number; runWorkers?: boolean }): Promise<void>;
  /**
   * Stop gracefully: no new uploads or receives, running invocations finish (up to `graceMs`, default 30 s;
   * past it they are abandoned like a crash, and the next start resumes them), the outbox is flushed to the
   * bus, then the bus and the emulators stop. Safe to call twice.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Start the offline runtime: emulators → provision → bus → resource env → pollers and worker loops.
 * With a state folder, messages a crashed previous run left in flight are made visible before the pollers start.
 * The same handlers and SDK clients as in AWS run in this process against DynamoDB Local, fauxqs and the local bus.
 * @example
 * const runtime = await startRuntime({ handlers: { 'schema-validate': handler }, retryDelaySeconds: 0 });
 * try { ...; await runtime.waitForIdle(); } finally { await runtime.stop(); }
 */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const stage = options.stage ?? 'local';
  const region = options.region ?? 'us-east-1';
  const topology = options.topology ?? finledgerTopology;
  // With a state folder, every line also goes to `<stateDir>/logs/runtime.jsonl`, for on-call and `pan-scan`.
  const logFile = options.stateDir ? createLogFile(runtimeLogPath(options.stateDir)) : undefined;
  const logger = logFile
    ? teeLogger(options.logger ?? consoleLogger, logFile)
    : (options.logger ?? consoleLogger);
  const teardown: (() => Promise<void> | void)[] = logFile ? [() => logFile.close()] : [];
  const stopAll = async () => {
    for (const step of teardown.reverse()) {
      try {
        await step();
      } catch (error) {
        logger.error('runtime teardown step failed', { error: String(error) });
      }
    }
    teardown.length = 0;
  };

  try {
    if (options.stateDir) {
      // Released last (teardown runs in reverse), after the emulators have written their state.
      const lock = await acquireStateLock(options.stateDir);
      teardown.push(() => lock.release());
      if (lock.previousOwner) {
        logger.info('resuming a state folder whose previous runtime stopped without releasing it', {
          previousPid: lock.previousOwner.pid,
          previousStart: lock.previousOwner.startedAt,
        });
      }
    }
    const emulators = await startEmulators({
      stateDir: options.stateDir,
      region,
      ports: options.ports,
      sharedDynamoDb: options.sharedDynamoDb,
    });
    teardown.push(() => emulators.stop());
    const resources = await provision(topology, stage, emulators.endpoints, {
      region,
      tablePrefix: emulators.tablePrefix,
    });
    const clients = localClients(emulators.endpoints, region);
    teardown.push(() => clients.destroy());
    const bus = await startLocalBus({
      topology,
      resources,
      sqs: clients.sqs,
      s3: clients.s3,
      stateDir: options.stateDir,
      port: options.ports?.bus,
      logger,
    });
    teardown.push(() => bus.stop());
    const eventbridge = localEventBridgeClient(bus.endpoint, region);
    teardown.push(() => eventbridge.destroy());
    const moves = await startSqsMessageMoves({
      upstream: emulators.endpoints.sqs,
      sqs: clients.sqs,
      resources,
      logger,
    });
    teardown.push(() => moves.stop());
    const operatorSqs = new SQSClient(localClientConfig('sqs', { sqs: moves.endpoint }, region));
    teardown.push(() => operatorSqs.destroy());
    const functionUrls = await startFunctionUrls({
      region,
      functions: Object.fromEntries(
        Object.entries(options.functionUrls ?? {}).map(([name, handler]) => {
          const spec = topology.workers.find(
            (worker) => worker.name === name && worker.trigger.kind === 'invoke',
          );
          if (!spec)
            throw new Error(
              `No operator-invoked worker "${name}" in the topology to serve at a function URL.`,
            );
          return [name, { spec, handler }];
        }),
      ),
      logger,
    });
    teardown.push(() => functionUrls.stop());
    const stageDocument = offlineStageDocument(topology, resources, bus, functionUrls.urls);
    const parameters = await startSsmParameters({
      region,
      account: LOCAL_ACCOUNT,
      parameters: offlineParameters(stageDocument),
      logger,
    });
    teardown.push(() => parameters.stop());

    const endpoints: ResourceEndpoints = {
      ...emulators.endpoints,
      eventbridge: bus.endpoint,
      ssm: parameters.endpoint,
    };
    const env = resourceEnv(resources, endpoints, offlineSecrets(topology));
    teardown.push(applyResourceEnv(env));

    const handlers =
      typeof options.handlers === 'function'
        ? await options.handlers(topology, stage)
        : (options.handlers ?? (await loadServiceHandlers(topology, stage)));
    if (options.stateDir) {
      // The state lock makes this runtime the folder's only user: what a previous run left in progress or
      // in flight has no owner left. Records first, so the released messages find their work free.
      const idempotencyTable = resources.tables.idempotency?.name;
      if (idempotencyTable)
        await takeOverInProgress({ dynamodb: clients.dynamodb, tableName: idempotencyTable, logger });
      await releaseInflight({
        sqs: clients.sqs,
        stateDir: options.stateDir,
        queueUrls: queueConsumers(topology, resources).map((consumer) => consumer.queue.url),
        logger,
      });
    }
    let loops: Record<string, Loop> = {};
    // In AWS a stream worker (the outbox relay) runs as soon as a handler commits; offline each settled batch
    // kicks it, and its own interval is only the safety net.
    const streamWorkers = streamWorkerNames(topology);
    const kickStreamWorkers = () => {
      if (options.kickStreamWorkers === false) return;
      for (const name of streamWorkers) loops[name]?.kick();
    };
    const pollers = startPollers(
      topology,
      stage,
      resources,
      clients,
      handlers,
      options,
      logger,
      kickStreamWorkers,
    );
    let bridge: S3Notifications | undefined;
    let graceMs = DEFAULT_STOP_GRACE_MS;
    teardown.push(() => drainWork({ pollers, bridge, loops, topology, graceMs, logger }));

    bridge =
      options.s3Notifications === false
        ? undefined
        : startBridge(topology, resources, emulators, clients, bus, logger, options.s3EventTime);
    loops = startWorkerLoops(topology, options.workers ?? {}, logger);

    let stopping: Promise<void> | undefined;
    return {
      stage,
      region,
      topology,
      endpoints,
      operatorEndpoints: { ...endpoints, sqs: moves.endpoint },
      resources,
      stageDocument,
      env,
      emulators,
      bus,
      clients: { dynamodb: clients.dynamodb, sqs: clients.sqs, s3: clients.s3, eventbridge, operatorSqs },
      pollers,
      loops,
      dlq: dlqTools(clients.sqs, resources),
      waitForIdle: (idleOptions = {}) =>
        waitForIdle({
          sqs: clients.sqs,
          // Only consumed queues can drain; a service or unit worker started without a handler just accumulates.
          queueUrls: Object.keys(pollers).flatMap((name) => consumedQueueUrl(resources, name) ?? []),
          busy: () => ({
            bus: bus.inFlight(),
            messageMoves: moves.running(),
            s3Notifications: bridge?.inFlight() ?? 0,
            ...Object.fromEntries(
              Object.entries(pollers).map(([name, poller]) => [`poller ${name}`, poller.inFlight()]),
            ),
            // Each check runs the workers to their end itself (beforeCheck); their own timers firing around it
            // are not pending work. Only a wait that does not run them has to wait for them.
            ...(idleOptions.runWorkers === false
              ? Object.fromEntries(
                  Object.entries(loops).map(([name, loop]) => [`worker ${name}`, loop.busy() ? 1 : 0]),
                )
              : {}),
          }),
          beforeCheck:
            idleOptions.runWorkers === false
              ? undefined
              : () => Promise.all(Object.values(loops).map((loop) => loop.runNow())).then(() => {}),
          ...(idleOptions.timeoutMs !== undefined ? { timeoutMs: idleOptions.timeoutMs } : {}),
        }),
      stop(stopOptions = {}) {
        if (stopOptions.graceMs !== undefined) graceMs = stopOptions.graceMs;
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** How long a graceful stop waits for running invocations before it stops the emulators anyway. */
export const DEFAULT_STOP_GRACE_MS = 30_000;

/**
 * The graceful part of `stop`, in the order that loses nothing: uploads already made get their event, pollers
 * stop receiving and finish their batches (bounded), the outbox relay publishes what those batches committed,
 * then every loop stops. What does not finish within the grace is left exactly as a crash leaves it.
 */
async function drainWork(work: {
  readonly pollers: Readonly<Record<string, Poller>>;
  readonly bridge: S3Notifications | undefined;
  readonly loops: Readonly<Record<string, Loop>>;
  readonly topology: Topology;
  readonly graceMs: number;
  readonly logger: RuntimeLogger;
}): Promise<void> {
  await work.bridge?.stop();
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    Promise.all(Object.values(work.pollers).map((poller) => poller.stop())).then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), work.graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!finished) {
    work.logger.warn('invocations still running at the end of the stop grace; the next start resumes them', {
      graceMs: work.graceMs,
      running: Object.fromEntries(
        Object.entries(work.pollers).map(([name, poller]) => [name, poller.inFlight()]),
      ),
    });
  }
  const streamWorkers = streamWorkerNames(work.topology);
  const flush = Object.entries(work.loops).filter(([name]) => streamWorkers.has(name));
  await Promise.all(flush.map(([, loop]) => loop.runNow()));
  await Promise.all(Object.values(work.loops).map((loop) => loop.stop()));
}

/** Workers AWS triggers from a DynamoDB stream (the outbox relay): offline they run on a loop and on kicks. */
function streamWorkerNames(topology: Topology): Set<string> {
  return new Set(
    topology.workers.filter((worker) => worker.trigger.kind === 'stream').map((worker) => worker.name),
  );
}

function startPollers(
  topology: Topology,
  stage: string,
  resources: ProvisionedResources,
  clients: LocalClients,
  handlers: HandlerMap,
  options: RuntimeOptions,
  logger: RuntimeLogger,
  onBatchSettled: () => void,
): Record<string, Poller> {
  const consumers = queueConsumers(topology, resources);
  const known = new Set(consumers.map((consumer) => consumer.name));
  const unknown = Object.keys(handlers).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `Handlers given for services or unit workers not in the topology: ${unknown.join(', ')}. Known: ${[...known].join(', ')}.`,
    );
  }
  const pollers: Record<string, Poller> = {};
  for (const consumer of consumers) {
    const handler = handlers[consumer.name];
    if (!handler) {
      logger.info('no handler for this service or unit worker; its queue fills but nothing consumes it', {
        service: consumer.name,
      });
      continue;
    }
    pollers[consumer.name] = startPoller({
      functionName: physicalName(stage, consumer.name),
      sqs: clients.sqs,
      queue: consumer.queue,
      region: resources.region,
      handler,
      batchSize: consumer.batchSize,
      timeoutSeconds: consumer.timeoutSeconds,
      memoryMb: consumer.memoryMb,
      // fauxqs 2.4.1 with a state folder loses a message whose visibility is set to 0 (its SQLite write
      // fails), so persisted runtimes retry after at least 1 s.
      retryDelaySeconds:
        options.stateDir !== undefined && options.retryDelaySeconds !== undefined
          ? Math.max(1, options.retryDelaySeconds)
          : options.retryDelaySeconds,
      concurrency: options.pollerConcurrency,
      freezeEvent: options.freezeEvents,
      journal: options.stateDir
        ? createInflightJournal(inflightDir(options.stateDir), physicalName(stage, consumer.name))
        : undefined,
      visibilityTimeoutSeconds: consumer.visibilityTimeoutSeconds,
      onBatchSettled,
      logger,
    });
  }
  return pollers;
}

function startBridge(
  topology: Topology,
  resources: ProvisionedResources,
  emulators: Emulators,
  clients: LocalClients,
  bus: LocalBus,
  logger: RuntimeLogger,
  eventTime: ((uploadedAtMs: number) => number) | undefined,
): S3Notifications | undefined {
  const buckets = new Set(
    topology.buckets
      .filter((bucket) => bucket.eventBridgeNotifications)
      .map((bucket) => resources.buckets[bucket.name]?.name)
      .filter((name): name is string => name !== undefined),
  );
  if (buckets.size === 0) return undefined;
  return startS3Notifications({
    fauxqs: emulators.fauxqs,
    s3: clients.s3,
    bus,
    buckets,
    region: resources.region,
    logger,
    ...(eventTime ? { eventTime } : {}),
  });
}

function startWorkerLoops(
  topology: Topology,
  workers: NonNullable<RuntimeOptions['workers']>,
  logger: RuntimeLogger,
): Record<string, Loop> {
  const loops: Record<string, Loop> = {};
  for (const [name, worker] of Object.entries(workers)) {
    const run = typeof worker === 'function' ? worker : worker.run;
    const intervalMs = typeof worker === 'function' ? defaultInterval(topology, name) : worker.intervalMs;
    loops[name] = startLoop(name, intervalMs, run, { logger });
  }
  return loops;
}

function defaultInterval(topology: Topology, name: string): number {
  const spec = topology.workers.find((worker) => worker.name === name);
  if (!spec) {
    throw new Error(
      `Worker "${name}" is not in topology.workers; pass { run, intervalMs } to give it an interval.`,
    );
  }
  switch (spec.trigger.kind) {
    case 'schedule':
      return spec.trigger.everySeconds * 1000;
    case 'stream':
      // Offline there is no DynamoDB stream trigger, so stream workers poll every second.
      return 1000;
    case 'invoke':
      throw new Error(
        `Worker "${name}" is invoked by an operator, never on a loop; call its handler (offline: its finledger command).`,
      );
    case 'units':
      throw new Error(
        `Worker "${name}" consumes its unit queue, never on a loop; pass its SQS handler in \`handlers\` instead.`,
      );
  }
}
