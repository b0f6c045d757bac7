import { createHash } from 'node:crypto';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineReport, waitForTerminalFiles } from '../../cli/pipeline-state.ts';
import { RecordsDeduplicatedV1, SettlementsMatchedV1 } from '../../contracts/events/catalog.ts';
import type { ReadyMarker } from '../../services/ready-publisher/ready-marker.ts';
import { generateSampleSet, TRANSACTION_COLUMNS } from '../sample-data/index.ts';
import {
  dlqDepths,
  earliestCutoff,
  gatesOf,
  hoursAfter,
  landAt,
  type Scenario,
  scanAll,
  startScenario,
  verdictsOf,
} from './scenario-support.ts';
import { archivedDetails, configureTestEnvironment, readObjectBytes, readObjectText } from './support.ts';

const DATE = '2026-11-19';
// 250 rows per file keeps the injected defects (5 per transactions file, 2 per settlements file) at or under the
// quarantine gates (2 %, 1 %), so a verdict depends on more than the defects alone.
const sampleSet = generateSampleSet({ seed: 41, dates: [DATE], rowsPerFile: 250, defects: 'first-date' });

/**
 * A second globex-pay transactions file for the date: three rows of the first file again (duplicates across files)
 * and one with the same id but another merchant (a conflict), so dedup has more than unique rows to report.
 */
function globexSecondFile(): { landingKey: string; bytes: Uint8Array } {
  const first = sampleSet.find((file) => file.partner === 'globex-pay' && file.dataset === 'transactions')!;
  const defectLines = new Set(first.expected.defects.map((defect) => defect.line));
  const lines = new TextDecoder().decode(first.bytes).split('\n');
  const valid = lines.filter(
    (line, index) => index > 0 && line.startsWith('tx_') && !defectLines.has(index + 1),
  );
  const conflicting = valid[3]!.split(',');
  conflicting[TRANSACTION_COLUMNS.indexOf('merchant_id')] = 'm_conflict';
  const body = [lines[0], valid[0], valid[1], valid[2], conflicting.join(',')].join('\n');
  return {
    landingKey: first.landingKey.replace('.csv', '-b.csv'),
    bytes: new TextEncoder().encode(`${body}\n`),
  };
}

const BUCKETS = ['landing', 'raw', 'silver', 'quarantine', 'gold'] as const;

/** Every object of the storage buckets: key, ETag, size and last write (a rewrite of the same bytes shows too). */
async function objectsOf(scenario: Scenario) {
  const { runtime } = scenario;
  const objects: string[] = [];
  for (const logical of BUCKETS) {
    const bucket = runtime.resources.buckets[logical]!.name;
    let token: string | undefined;
    do {
      const page = await runtime.clients.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? [])
        objects.push(
          `${logical}/${object.Key} ${object.ETag} ${object.Size} ${object.LastModified?.toISOString()}`,
        );
      token = page.NextContinuationToken;
    } while (token);
  }
  return objects.sort();
}

/** Gold content hashes from the `_READY.json` markers, checked against the parts' bytes. */
async function goldMarkersOf(scenario: Scenario) {
  const { runtime } = scenario;
  const bucket = runtime.resources.buckets.gold!.name;
  const keys = (await objectsOf(scenario))
    .map((line) => line.split(' ')[0]!)
    .filter((key) => key.startsWith('gold/') && key.endsWith('/_READY.json'))
    .map((key) => key.slice('gold/'.length));
  const markers: Record<
    string,
    { contentHash: string; rowCount: number; parts: string[]; declaredParts: string[] }
  > = {};
  for (const key of keys) {
    const marker = JSON.parse(await readObjectText(runtime, bucket, key)) as ReadyMarker;
    const parts = await Promise.all(
      marker.parts.map(async (part) =>
        createHash('sha256')
          .update(await readObjectBytes(runtime, bucket, part.key))
          .digest('hex'),
      ),
    );
    markers[key] = {
      contentHash: marker.contentHash,
      rowCount: marker.rowCount,
      parts,
      declaredParts: marker.parts.map((part) => part.sha256),
    };
  }
  return markers;
}

const byKey = (item: Record<string, unknown>) => `${String(item.pk ?? item.id)}|${String(item.sk ?? '')}`;
const sortedItems = (items: Record<string, unknown>[]) =>
  [...items].sort((a, b) => (byKey(a) < byKey(b) ? -1 : byKey(a) > byKey(b) ? 1 : 0));
const countBy = <T>(items: readonly T[], keyOf: (item: T) => string) =>
  items.reduce<Record<string, number>>((counts, item) => {
    counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
    return counts;
  }, {});

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Everything countable about the run. */
async function snapshot(scenario: Scenario) {
  const { runtime } = scenario;
  const archive = await runtime.bus.archive.read();
  const outbox = await scanAll(runtime, 'outbox');
  return {
    report: await pipelineReport(runtime),
    files: sortedItems(await scanAll(runtime, 'files')),
    dedupHistory: sortedItems(await scanAll(runtime, 'dedup-history')),
    idempotencyKeys: (await scanAll(runtime, 'idempotency')).map((item) => String(item.id)).sort(),
    outbox: countBy(outbox, (item) => `${String(item.type)} ${String(item.status)}`),
    archive: countBy(archive, (event) => event['detail-type']),
    objects: await objectsOf(scenario),
    gold: await goldMarkersOf(scenario),
    dlqs: await dlqDepths(runtime),
  };
}

/** Replay every archived event (the path `finledger replay` takes), then wait until every file is terminal and idle. */
async function replayDay(scenario: Scenario, from: Date, replayName: string) {
  const { runtime } = scenario;
  const consumed = () =>
    Object.values(runtime.pollers).reduce((sum, poller) => sum + poller.stats().succeeded, 0);
  const consumedBefore = consumed();
  const result = await runtime.bus.replay({ from, to: new Date(), replayName });
  await waitForTerminalFiles(runtime, 60_000);
  await runtime.waitForIdle();
  return { ...result, consumed: consumed() - consumedBefore };
}

/**
 * Past their idempotency records, replayed events reach each service's own business-key guards: file-landing knows
 * each S3 upload it landed or counted (`UPLOAD#` items), so no re-delivery is counted; the other services redo
 * their work and write the same bytes under the same keys (same ETag and size, only the write time moves), then
 * their conditional commits refuse a second announcement.
 */
const withoutRewriteTimes = (state: Snapshot) => ({
  ...state,
  objects: state.objects.map((line) => line.split(' ').slice(0, 3).join(' ')),
});

describe('replaying every archived event of a day', () => {
  let scenario: Scenario;
  let before: Snapshot;
  const landedFrom = hoursAfter(earliestCutoff(DATE), -1);

  beforeAll(async () => {
    configureTestEnvironment();
    scenario = await startScenario();
    await landAt(scenario, landedFrom, [...sampleSet, globexSecondFile()]);
    before = await snapshot(scenario);
  }, 180_000);

  afterAll(async () => {
    await scenario?.runtime.stop();
  });

  it('lands a day whose quarantine, dedup, match and readiness outcomes are not trivial', async () => {
    // Prepare
    const { runtime } = scenario;
    const deduplicated = await archivedDetails(runtime, RecordsDeduplicatedV1);
    const matched = await archivedDetails(runtime, SettlementsMatchedV1);
    const delivered = sampleSet.filter((file) => !file.expected.redeliveryOf);

    // Act
    const settlements = (await verdictsOf(runtime, 'settlements', DATE)).at(-1);
    const transactions = (await verdictsOf(runtime, 'transactions', DATE)).at(-1);

    // Assess: the generator's defects are quarantined, the second globex file gives 3 duplicates and 1 conflict,
    // the re-delivered file is counted, matching leaves orphans or mismatches, and both verdicts are published.
    expect(before.report.totals.quarantined).toBe(
      delivered.reduce((sum, file) => sum + file.expected.quarantinedRows, 0),
    );
    expect(before.report.files.map((file) => file.redeliveries).sort()).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(deduplicated.reduce((sum, event) => sum + event.data.counts.duplicates, 0)).toBe(3);
    expect(deduplicated.reduce((sum, event) => sum + event.data.counts.conflicts, 0)).toBe(1);
    const latestRuns = ['acme-bank', 'globex-pay', 'initech-acq'].map((partner) =>
      matched.filter((event) => event.data.partner === partner).at(-1),
    );
    expect(
      latestRuns.reduce(
        (sum, run) =>
          sum + (run?.data.counts.orphanSettlements ?? 0) + (run?.data.counts.amountMismatches ?? 0),
        0,
      ),
    ).toBeGreaterThan(0);
    expect(settlements?.kind).toBe('READY');
    expect(transactions?.kind).toBe('BLOCKED');
    expect(gatesOf(transactions).failed.map((gate) => gate.name)).toContain('open-conflicts:globex-pay');
    expect(Object.values(before.gold)).toEqual([
      expect.objectContaining({
        contentHash: settlements?.kind === 'READY' ? settlements.event.data.contentHash : 'none',
      }),
    ]);
    for (const marker of Object.values(before.gold)) expect(marker.parts).toEqual(marker.declaredParts);
    expect(Object.values(before.dlqs).every((depth) => depth === 0)).toBe(true);
  });

  it('changes no count, no registry item, no object and no gold content', async () => {
    // Prepare
    const archived = await scenario.runtime.bus.archive.read();

    // Act: every type, in a window from the first S3 event (stamped by the scenario clock) to now.
    const { replayed, outcomes, consumed } = await replayDay(scenario, landedFrom, 'day-replay');
    const after = await snapshot(scenario);

    // Assess: every archived event went out again and every copy was consumed, and nothing moved. Replayed
    // copies are not archived, so the archive counts are the events the services published.
    expect(replayed).toBe(archived.length);
    expect(outcomes.every((outcome) => outcome.status === 'delivered')).toBe(true);
    expect(consumed).toBe(outcomes.length);
    expect(after).toEqual(before);
  });

  it('changes no event, object or gold content even once the idempotency records have expired', async () => {
    // Prepare: production keeps the archive indefinitely (stacks/stage-config.ts), idempotency keys expire
    // after 30 days, so an old day's replay reaches each service's own business-key guards.
    const { runtime } = scenario;
    const table = runtime.resources.tables.idempotency!.name;
    for (const item of await scanAll(runtime, 'idempotency'))
      await runtime.clients.dynamodb.send(
        new DeleteItemCommand({ TableName: table, Key: { id: { S: String(item.id) } } }),
      );

    // Act
    const { outcomes, consumed } = await replayDay(scenario, landedFrom, 'day-replay-expired-keys');
    const after = await snapshot(scenario);

    // Assess
    expect(consumed).toBe(outcomes.length);
    expect(withoutRewriteTimes(after)).toEqual(withoutRewriteTimes(before));
  });
});
