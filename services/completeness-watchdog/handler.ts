import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runWatchdog, type WatchdogReport } from './completeness-watchdog.ts';
import type { WatchdogPorts } from './ports.ts';
import { watchdogPolicy, watchdogPorts } from './side-effects.ts';

const logger = new Logger({ serviceName: 'completeness-watchdog' });

/** Scheduled trigger: re-drive overdue files and report the ones that keep stalling. */
export async function onSchedule(
  _event?: unknown,
  ports: WatchdogPorts = watchdogPorts(),
): Promise<WatchdogReport> {
  const report = await runWatchdog(ports, watchdogPolicy());
  if (report.redriven.length > 0)
    logger.warn('Re-drove overdue files from their last committed stage', { ...report });
  if (report.stalled.length > 0 || report.unrecoverable.length > 0) {
    logger.error(
      'Files stalled past the re-drive limit: inspect the DLQs (finledger dlq list) and the file registry',
      { ...report },
    );
  }
  return report;
}

export const handler = middy(() => onSchedule()).use(injectLambdaContext(logger));
