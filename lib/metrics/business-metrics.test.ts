import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { publishDatapoint } from './business-metrics.ts';

describe('publishDatapoint', () => {
  it('adds the datapoint under its business name and unit, then publishes it', () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'finledger', serviceName: 'reconcile' });
    const published: unknown[] = [];
    vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
      published.push(metrics.serializeMetrics());
      return metrics;
    });

    // Act
    publishDatapoint(metrics, 'ReconciliationBreaks', 2);

    // Assess
    expect(published).toHaveLength(1);
    const emf = published[0] as {
      ReconciliationBreaks: number;
      _aws: { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] };
    };
    expect(emf.ReconciliationBreaks).toBe(2);
    expect(emf._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'ReconciliationBreaks', Unit: 'Count' }]);
  });

  it('does nothing without a metrics sink', () => {
    expect(() => publishDatapoint(undefined, 'FilesStalled', 1)).not.toThrow();
  });
});
