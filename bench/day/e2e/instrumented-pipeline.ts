import { sharedAwsClients } from '../../../lib/aws/clients.ts';
import { loadServiceHandlers } from '../../../runtime/handlers.ts';
import { silentLogger } from '../../../runtime/logger.ts';
import { startPipeline } from '../../../runtime/pipeline.ts';
import type { Runtime } from '../../../runtime/runtime.ts';
import type { ScenarioClock } from '../../../runtime/scenario-clock.ts';
import { onSchedule as runCompletenessWatchdog } from '../../../services/completeness-watchdog/handler.ts';
import { onSweepSchedule as sweepOutbox } from '../../../services/outbox-relay/handler.ts';
import { topology } from '../../../topology/topology.ts';
import { InvocationMeter } from './invocation-meter.ts';
import { RequestCounter, type ResourceNames } from './request-counter.ts';

/** The offline pipeline as `npm start` runs it, with every handler, worker and SDK client measured. */
export interface InstrumentedPipeline {
  readonly runtime: Runtime;
  readonly requests: RequestCounter;
  readonly invocations: InvocationMeter;
}

const memoryOf = (name: string): number =>
  topology.services.find((service) => service.name === name)?.function.memoryMb ??
  topology.workers.find((worker) => worker.name === name)?.function.memoryMb ??
  1024;

/**
 * Start the pipeline the way `npm start` does (`startPipeline`: every service handler, the outbox relay every 200 ms,
 * the completeness watchdog every 5 s, retries after 2 s, a scenario clock for S3 event times) on a fresh state folder,
 * with three bench hooks that change no behaviour:
 * 1. each handler is wrapped to time it and attribute its SDK calls to its service (the `handlers` option);
 * 2. the relay and watchdog loops are the same functions, wrapped likewise (the `workers` option);
 * 3. the runtime's clients and the services' shared clients get a counting middleware once the runtime has applied its
 *    environment (`sharedAwsClients()` then returns the very instances the handlers use).
 */
export async function startInstrumentedPipeline(
  stateDir: string,
  clock: ScenarioClock,
): Promise<InstrumentedPipeline> {
  const invocations = new InvocationMeter();
  const worker = (name: string, run: () => Promise<unknown>) => async () => {
    await invocations.run(name, memoryOf(name), run);
  };
  const runtime = await startPipeline({
    stateDir,
    retryDelaySeconds: 2,
    logger: { ...silentLogger, error: (message, fields) => console.error(message, fields ?? '') },
    s3EventTime: clock.eventTime,
    handlers: async (declared, stage) => {
      const handlers = await loadServiceHandlers(declared, stage);
      return Object.fromEntries(
        Object.entries(handlers).map(([name, handler]) => [
          name,
          (event, context) => invocations.run(name, memoryOf(name), () => handler(event, context)),
        ]),
      );
    },
    workers: {
      'outbox-relay': { run: worker('outbox-relay', () => sweepOutbox()), intervalMs: 200 },
      'completeness-watchdog': {
        run: worker('completeness-watchdog', () => runCompletenessWatchdog()),
        intervalMs: 5_000,
      },
    },
  });
  const requests = new RequestCounter(resourceNames(runtime));
  const services = sharedAwsClients();
  requests.attach('DynamoDB', runtime.clients.dynamodb);
  requests.attach('SQS', runtime.clients.sqs);
  requests.attach('S3', runtime.clients.s3);
  requests.attach('EventBridge', runtime.clients.eventbridge);
  requests.attach('DynamoDB', services.dynamodb);
  requests.attach('S3', services.s3);
  requests.attach('SQS', services.sqs);
  requests.attach('EventBridge', services.eventbridge);
  return { runtime, requests, invocations };
}

/** Physical names of the runtime's resources back to the topology's names. */
function resourceNames(runtime: Runtime): ResourceNames {
  const tables = new Map(Object.entries(runtime.resources.tables).map(([name, table]) => [table.name, name]));
  const buckets = new Map(
    Object.entries(runtime.resources.buckets).map(([name, bucket]) => [bucket.name, name]),
  );
  const queues = new Map([
    ...Object.entries(runtime.resources.services).flatMap(([service, set]) => [
      [set.queue.url, `${service} queue`] as const,
      [set.dlq.url, `${service} DLQ`] as const,
      [set.busDlq.url, `${service} bus DLQ`] as const,
    ]),
    ...Object.entries(runtime.resources.units).flatMap(([worker, set]) => [
      [set.queue.url, `${worker} unit queue`] as const,
      [set.dlq.url, `${worker} unit DLQ`] as const,
    ]),
  ]);
  return {
    table: (physical) => tables.get(physical) ?? physical,
    bucket: (physical) => buckets.get(physical) ?? physical,
    queue: (url) => queues.get(url) ?? url.split('/').pop() ?? url,
  };
}
