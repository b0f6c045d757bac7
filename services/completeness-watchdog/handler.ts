import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { serviceLogger } from '../../lib/logging/service-logger.ts';
import { BUSINESS_METRICS } from '../../stacks/metrics.ts';
import { runWatchdog, type WatchdogReport } from './completeness-watchdog.ts';
import type { WatchdogPorts } from './ports.ts';
import { watchdogPolicy, watchdogPorts } from './side-effects.ts';

const logger = serviceLogger('completeness-watchdog');
const metrics = new Metrics({ namespace: BUSINESS_METRICS.namespace, serviceName: 'completeness-watchdog' });

/** Scheduled trigger: re-drive overdue files and report the ones that keep stalling. */
export async function onSchedule(
  _event?: unknown,
  ports: WatchdogPorts = watchdogPorts(),
): Promise<WatchdogReport> {
  const report = await runWatchdog(ports, watchdogPolicy());
  // Every run adds a datapoint (0 included) so the FilesStalled alarm sees a healthy series, not missing data.
  metrics.addMetric(
    BUSINESS_METRICS.names.FilesStalled,
    MetricUnit.Count,
    report.stalled.length + report.unrecoverable.length,
  );
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

export const handler = middy(() => onSchedule())
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
