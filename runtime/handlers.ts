import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { physicalName } from '../topology/names.ts';
import type { Topology } from '../topology/types.ts';
import type { SqsHandler } from './lambda-shapes.ts';

/** Handlers by service name. A service without one is provisioned but not consumed. */
export type HandlerMap = Readonly<Record<string, SqsHandler>>;

/** The repository root (this file lives in `<root>/runtime/`). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Import each service's handler module (`topology.services[].handler`, relative to the repo root) and
 * take its `handler` export. Run it after `applyResourceEnv`: modules may read `Resource` when loaded.
 *
 * While a module loads, `AWS_LAMBDA_FUNCTION_NAME` is set to the service's physical name, because
 * Powertools snapshots it (idempotency key prefix, logger) at construction, as it would in its own Lambda.
 * All services share one process offline, so anything read later sees whatever was set last.
 */
export async function loadServiceHandlers(
  topology: Topology,
  stage: string,
  options: { root?: string; services?: readonly string[] } = {},
): Promise<Record<string, SqsHandler>> {
  const root = options.root ?? repoRoot;
  const wanted = options.services ? new Set(options.services) : undefined;
  const handlers: Record<string, SqsHandler> = {};
  const previousName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  try {
    // Sequential on purpose: the function-name variable must belong to the module being loaded.
    for (const service of topology.services) {
      if (wanted && !wanted.has(service.name)) continue;
      process.env.AWS_LAMBDA_FUNCTION_NAME = physicalName(stage, service.name);
      const path = resolve(root, service.handler);
      let module: { handler?: unknown };
      try {
        module = (await import(pathToFileURL(path).href)) as { handler?: unknown };
      } catch (error) {
        throw new Error(
          `Could not load the ${service.name} handler from ${path}. Fix the module or pass handlers explicitly.`,
          {
            cause: error,
          },
        );
      }
      if (typeof module.handler !== 'function') {
        throw new Error(
          `${path} does not export a \`handler\` function; export one (the topology names this file for ${service.name}).`,
        );
      }
      handlers[service.name] = module.handler as SqsHandler;
    }
  } finally {
    if (previousName === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    else process.env.AWS_LAMBDA_FUNCTION_NAME = previousName;
  }
  return handlers;
}
