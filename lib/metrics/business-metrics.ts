import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { BUSINESS_METRICS, type BusinessMetricName } from '../../stacks/metrics.ts';

/**
 * Add one business datapoint (namespace `finledger`, the alarms in stacks/alarms.ts watch it) and publish
 * it at once as EMF. Publishing per datapoint instead of per invocation avoids Powertools' warning on
 * every invocation that has nothing to report (a redelivery, an unchanged verdict).
 * @example publishDatapoint(metrics, 'ReconciliationBreaks', 2)
 */
export function publishDatapoint(
  metrics: Metrics | undefined,
  name: BusinessMetricName,
  value: number,
): void {
  if (!metrics) return;
  metrics.addMetric(BUSINESS_METRICS.names[name], UNITS[name], value);
  metrics.publishStoredMetrics();
}

const UNITS: Record<BusinessMetricName, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  QuarantineRate: MetricUnit.Percent,
  ReconciliationBreaks: MetricUnit.Count,
  ExpectedFileMissing: MetricUnit.Count,
  FilesStalled: MetricUnit.Count,
};
