import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { unitWorkers } from '../stacks/plan/queues.ts';
import { physicalName } from '../topology/names.ts';
import type { Topology } from '../topology/types.ts';
import type { SqsHandler } from './lambda-shapes.ts';

/**
 * SQS handlers by service or unit worker name (both consume a queue). A service or unit worker without one is
 * provisioned but not consumed.
 */
export type HandlerMap = Readonly<Record<string, SqsHandler>>;

/** The repository root (this file lives in `<root>/runtime/`). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Import each service's handler module (`topology.services[].handler`, relative to the repo root) and
 * take its `handler` export; likewise each unit worker's (its `exportName`, default `handler`). Run it after `applyResourceEnv`: modules may read `Resource` when loaded.
 *
 * While a module loads, `AWS_LAMBDA_FUNCTION_NAME` is set to the service's physical name, because
 * Powertools snapshots it (idempotency key prefix, logger) at construction, as it would in its own Lambda.
 * All services share one process offline, so anything read later sees whatever was set last.
 */
export async function loadServiceHandlers(
  topology: Topology,
  stage: string,
  /** `services`: only these services and unit workers. */
  options: { root?: string; services?: readonly string[] } = {},
): Promise<Record<string, SqsHandler>> {
  const root = options.root ?? repoRoot;
  const wanted = options.services ? new Set(options.services) : undefined;
  const handlers: Record<string, SqsHandler> = {};
  const previousName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  try {
    // Sequential on purpose: the function-name variable must belong to the module being loaded.
    const consumers = [
      ...topology.services.map(({ name, handler }) => ({ name, handler, exportName: 'handler' })),
      ...unitWorkers(topology).map(({ worker: { name, handler, exportName } }) => ({
        name,
        handler,
        exportName: exportName ?? 'handler',
      })),
    ];
    for (const consumer of consumers) {
      if (wanted && !wanted.has(consumer.name)) continue;
      process.env.AWS_LAMBDA_FUNCTION_NAME = physicalName(stage, consumer.name);
      const path = resolve(root, consumer.handler);
      let module: Record<string, unknown>;
      try {
        module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      } catch (error) {
        throw new Error(
          `Could not load the ${consumer.name} handler from ${path}. Fix the module or pass handlers explicitly.`,
          {
            cause: error,
          },
        );
      }
      const handler = module[consumer.exportName];
      if (typeof handler !== 'function') {
        throw new Error(
          `${path} does not export a \`${consumer.exportName}\` function; export one (the topology names this file for ${consumer.name}).`,
        );
      }
      handlers[consumer.name] = handler as SqsHandler;
    }
  } finally {
    if (previousName === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    else process.env.AWS_LAMBDA_FUNCTION_NAME = previousName;
  }
  return handlers;
}
