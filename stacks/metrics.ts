/**
 * Business metrics the services emit with Powertools Metrics, and that `stacks/alarms.ts` alarms on.
 * Services import the names from here so an alarm can never watch a metric nobody emits.
 * Pure data: safe to import from handlers.
 * @example metrics.addMetric(BUSINESS_METRICS.names.QuarantineRate, MetricUnit.Percent, 3.2)
 */
export const BUSINESS_METRICS = {
  /** Powertools `namespace` (POWERTOOLS_METRICS_NAMESPACE is set to this on every function). */
  namespace: 'finledger',
  names: {
    /** Quarantined rows as a percentage of rows in, one datapoint per validated file (unit Percent). */
    QuarantineRate: 'QuarantineRate',
    /** Control-total or count mismatches found by reconciliation (unit Count). */
    ReconciliationBreaks: 'ReconciliationBreaks',
    /** Expected partner files not received by their deadline (unit Count). */
    ExpectedFileMissing: 'ExpectedFileMissing',
    /** Files that entered the pipeline but did not reach a terminal state in time (unit Count). */
    FilesStalled: 'FilesStalled',
  },
} as const;

export type BusinessMetricName = keyof typeof BUSINESS_METRICS.names;
