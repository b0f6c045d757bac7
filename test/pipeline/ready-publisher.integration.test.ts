import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineReport } from '../../cli/pipeline-state.ts';
import {
  DatasetBlockedV1,
  DatasetReadyV1,
  ReconciliationCompletedV1,
  RecordsDeduplicatedV1,
} from '../../contracts/events/catalog.ts';
import type { DedupRunRecord } from '../../lib/file-registry/dedup-run-record.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import type { ReadyMarker } from '../../services/ready-publisher/ready-marker.ts';
import {
  buildGoldPartitionInMemory,
  readCuratedRows,
} from '../../services/ready-publisher/test-support/in-memory-gold.ts';
import { generateSampleSet } from '../sample-data/index.ts';
import {
  archivedDetails,
  configureTestEnvironment,
  landAndSettle,
  listKeys,
  readObjectBytes,
  readObjectText,
  startTestPipeline,
} from './support.ts';

/**
 * A weekday after today (UTC): every settlements partner is expected for it (config/ready-gates.ts) and files
 * landing now are before every cut-off, so the production gates apply unchanged.
 */
function nextWeekday(from: Date): string {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

const DATE = nextWeekday(new Date());
const settlements = generateSampleSet({ seed: 23, dates: [DATE], rowsPerFile: 12, defects: 'none' }).filter(
  (file) => file.dataset === 'settlements' && !file.expected.redeliveryOf,
);
const LATE_PARTNER = 'initech-acq';

describe('ready-publisher on the offline runtime', () => {
  let runtime: Runtime;
  const ofDay = <T extends { data: { dataset: string; businessDate: string } }>(events: T[]) =>
    events.filter((event) => event.data.dataset === 'settlements' && event.data.businessDate === DATE);
  const ready = async () => ofDay(await archivedDetails(runtime, DatasetReadyV1));
  const blocked = async () => ofDay(await archivedDetails(runtime, DatasetBlockedV1));
  const goldKeys = () => listKeys(runtime, runtime.resources.buckets.gold!.name, 'gold/dataset=settlements/');
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await runtime.waitForIdle();
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    configureTestEnvironment();
    runtime = await startTestPipeline();
    await landAndSettle(
      runtime,
      settlements.filter((file) => file.partner !== LATE_PARTNER),
    );
  }, 90_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('blocks a day whose expected file is missing, listing the failed gates', async () => {
    // Act
    const verdicts = await until(blocked, (events) =>
      events.some((event) =>
        event.data.failedGates.some((gate) => gate.name === `file-on-time:${LATE_PARTNER}`),
      ),
    );

    // Assess
    const latest = verdicts.at(-1)!;
    expect(latest.data.failedGates.map((gate) => gate.name)).toEqual([
      `file-on-time:${LATE_PARTNER}`,
      `quarantine-rate:${LATE_PARTNER}`,
      `open-conflicts:${LATE_PARTNER}`,
      `reconciliation:${LATE_PARTNER}`,
    ]);
    expect(latest.data.failedGates[0]?.detail).toContain(`No file from ${LATE_PARTNER} yet`);
    expect(latest.data.passedGates.map((gate) => gate.name)).toContain('reconciliation:acme-bank');
    expect(await ready()).toEqual([]);
    expect(await goldKeys()).toEqual([]);
  });

  it('publishes the day once the missing file lands: gold parts, then a marker that matches the unique rows', async () => {
    // Act
    await landAndSettle(
      runtime,
      settlements.filter((file) => file.partner === LATE_PARTNER),
    );
    const published = await until(ready, (events) => events.length > 0);

    // Assess
    expect(published).toHaveLength(1);
    const event = published[0]!;
    const marker = JSON.parse(
      await readObjectText(runtime, event.data.marker.bucket, event.data.marker.key),
    ) as ReadyMarker;
    const runs = ofDay(await archivedDetails(runtime, RecordsDeduplicatedV1)).map(
      (detail) => ({ ...detail.data, runId: detail.runId }) as unknown as DedupRunRecord,
    );
    expect(runs.map((run) => run.partner).sort()).toEqual(['acme-bank', 'globex-pay', LATE_PARTNER]);
    const rows = await readCuratedRows(runs, (ref) => readObjectBytes(runtime, ref.bucket, ref.key));
    const expected = buildGoldPartitionInMemory(rows, {
      dataset: 'settlements',
      businessDate: DATE,
      runId: marker.runId,
      schemaV: marker.schemaV,
    });
    expect(rows.length).toBe(runs.reduce((sum, run) => sum + run.counts.unique, 0));
    expect(marker).toMatchObject({
      runId: event.data.runId,
      rowCount: rows.length,
      contentHash: expected.contentHash,
      sums: expected.sums,
    });
    expect(event.data).toMatchObject({ contentHash: expected.contentHash, rowCount: rows.length });
    expect(marker.parts.map((part) => part.sha256)).toEqual(expected.parts.map((part) => part.sha256));
    expect((await goldKeys()).sort()).toEqual([...event.data.gold.parts, event.data.marker.key].sort());
    expect((await pipelineReport(runtime)).readiness).toContainEqual({
      dataset: 'settlements',
      businessDate: DATE,
      verdict: 'READY',
      runId: event.data.runId,
      contentHash: expected.contentHash,
      rows: rows.length,
      notes: [],
    });
    expect(runtime.pollers['ready-publisher']!.stats().failed).toBe(0);
  });

  it('adds no DatasetReady and no gold object when the same reconciliation is replayed', async () => {
    // Prepare
    const recon = ofDay(await archivedDetails(runtime, ReconciliationCompletedV1)).at(-1)!;
    const keysBefore = await goldKeys();
    const poller = runtime.pollers['ready-publisher']!;

    // Act: three redeliveries of the same event, then one with a new event id (same facts).
    for (const detail of [recon, recon, recon, { ...recon, eventId: randomUUID() }]) {
      const succeeded = poller.stats().succeeded;
      const result = await runtime.bus.putEvents([
        {
          EventBusName: runtime.bus.name,
          Source: 'finledger.reconcile',
          DetailType: ReconciliationCompletedV1.type,
          Detail: JSON.stringify(detail),
        },
      ]);
      expect(result.FailedEntryCount).toBe(0);
      await until(
        async () => poller.stats().succeeded,
        (count) => count > succeeded,
      );
    }

    // Assess
    expect(await ready()).toHaveLength(1);
    expect(await goldKeys()).toEqual(keysBefore);
    expect(poller.stats().failed).toBe(0);
  });
});
